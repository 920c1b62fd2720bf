package io.swarmcast.ingest;

import io.swarmcast.event.DashboardEvent;
import io.swarmcast.server.EventServer;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Sends ingested events straight to the event server. The domain services replace it with a sink that
 * applies events through them, so state and snapshots follow what producers report.
 */
@Component
class BroadcastIngestSink implements IngestSink {

    private final EventServer server;

    BroadcastIngestSink(EventServer server) {
        this.server = server;
    }

    @Override
    public List<Long> accept(List<DashboardEvent> events) {
        return server.broadcastAll(events);
    }
}
