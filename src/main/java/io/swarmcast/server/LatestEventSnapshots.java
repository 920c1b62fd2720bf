package io.swarmcast.server;

import io.swarmcast.event.Channel;
import io.swarmcast.event.DashboardEvent;
import io.swarmcast.event.MetricsUpdateEvent;
import io.swarmcast.event.TopologyChangeEvent;

import java.util.List;

/**
 * The snapshot of the channels whose state is simply their newest event: the newest {@code topology:change}
 * and the newest {@code metrics:update}. Updated on the fan-out path as each event goes out, so a snapshot
 * always matches the events a new subscriber is about to receive.
 */
final class LatestEventSnapshots implements SnapshotSource {

    private volatile TopologyChangeEvent topology;
    private volatile MetricsUpdateEvent metrics;

    void dispatched(DashboardEvent event) {
        if (event instanceof TopologyChangeEvent change) {
            topology = change;
        } else if (event instanceof MetricsUpdateEvent update) {
            metrics = update;
        }
    }

    @Override
    public List<DashboardEvent> snapshot(Channel channel) {
        DashboardEvent newest = switch (channel) {
            case TOPOLOGY -> topology;
            case METRICS -> metrics;
            default -> null;
        };
        return newest == null ? List.of() : List.of(newest);
    }
}
