package io.swarmcast.server;

import io.swarmcast.SwarmcastProperties;
import io.swarmcast.event.DashboardEvent;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One {@link StateProjection} per swarm (docs/protocol.md 7.15): each event updates its own swarm's, and a subscribe
 * gets the snapshot of the swarm it names. Touched only by the delivery thread, like the projections themselves.
 * A swarm's projection is made by its first event; swarm ids come from events the services accepted, so their number
 * is bounded by {@code limits.max-swarms} (the default swarm's is {@code null}).
 */
final class SwarmProjections {

    private static final SnapshotSource NONE = channel -> List.of();

    private final Map<String, StateProjection> bySwarm = new HashMap<>();
    private final SwarmcastProperties.Tasks taskSettings;
    private final LongSupplier clock;

    SwarmProjections(SwarmcastProperties.Tasks taskSettings, LongSupplier clock) {
        this.taskSettings = taskSettings;
        this.clock = clock;
        bySwarm.put(null, new StateProjection(taskSettings, clock));
    }

    void dispatched(DashboardEvent event) {
        bySwarm.computeIfAbsent(event.swarmId(), id -> new StateProjection(taskSettings, clock)).dispatched(event);
    }

    /** The snapshots of one swarm (internal id); empty for a swarm none of whose events was delivered yet. */
    SnapshotSource of(String swarmId) {
        StateProjection projection = bySwarm.get(swarmId);
        return projection != null ? projection : NONE;
    }

    /** Whether an event of this swarm was delivered (the default swarm: always). */
    boolean knows(String swarmId) {
        return bySwarm.containsKey(swarmId);
    }
}
