package io.swarmcast.swarm;

import io.swarmcast.event.Topology;
import io.swarmcast.event.TopologyChangeEvent;

import java.util.List;

/** How the swarm is wired now: one node per agent, one edge per link, each edge with its health. */
public record SwarmTopology(Topology topology, String coordinatorId, List<Node> nodes, List<Edge> edges, long timestamp) {

    public SwarmTopology {
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
    }

    /** The wiring a {@code topology:change} event carries (it names no coordinator). */
    public static SwarmTopology of(TopologyChangeEvent event) {
        return new SwarmTopology(event.topology(), null,
                event.nodes().stream().map(n -> new Node(n.id(), n.name(), n.type(), n.status())).toList(),
                event.edges().stream().map(e -> new Edge(e.source(), e.target(), e.health())).toList(),
                event.timestamp());
    }

    public record Node(String id, String name, String type, String status) {
    }

    /** @param health healthy (both ends up), degraded (an end in error) or down (an end stopped) */
    public record Edge(String source, String target, String health) {
    }
}
