package io.swarmcast.ingest;

import io.swarmcast.event.DashboardEvent;

import java.util.List;

/** Where validated ingested events go. Returns each event's seq once it is in the event log (0 for ephemeral ones). */
public interface IngestSink {

    List<Long> accept(List<DashboardEvent> events);
}
