package io.swarmcast.swarm;

import io.swarmcast.event.Topology;

import java.util.List;

/** How the swarm is wired now: one node per agent, one edge per link, each edge with its health. */
public record SwarmTopology(Topology topology, String coordinatorId, List<Node> nodes, List<Edge> edges, long timestamp) {

    public SwarmTopology {
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
    }

    public record Node(String id, String name, String type, String status) {
    }

    /** @param health healthy (both ends up), degraded (an end in error) or down (an end stopped) */
    public record Edge(String source, String target, String health) {
    }
}
