package io.swarmcast.swarm;

/** Raised when the swarm's wiring, or the status of a node or edge in it, changed. */
public record TopologyChanged(SwarmTopology topology) {
}
