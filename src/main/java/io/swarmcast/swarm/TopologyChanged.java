package io.swarmcast.swarm;

import io.swarmcast.domain.DomainEvent;
import io.swarmcast.domain.Publication;

/** Raised when the swarm's wiring, or the status of a node or edge in it, changed. The publisher fills in its {@link Publication}. */
public record TopologyChanged(SwarmTopology topology, Publication publication, String swarmId) implements DomainEvent {

    /** @param swarmId the swarm whose service raised it; null for the default swarm */
    public TopologyChanged(SwarmTopology topology, String swarmId) {
        this(topology, new Publication(), swarmId);
    }
}
