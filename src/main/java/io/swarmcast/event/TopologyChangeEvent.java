package io.swarmcast.event;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * {@code topology:change}: how the swarm is wired now, in full.
 *
 * @param trace   its causal link, if any
 * @param swarmId its swarm, null for the default one (docs/protocol.md 7.15)
 */
public record TopologyChangeEvent(Topology topology, List<Node> nodes, List<Edge> edges, long timestamp,
                                  @JsonInclude(JsonInclude.Include.NON_NULL) Trace trace,
                                  @JsonInclude(JsonInclude.Include.NON_NULL) String swarmId)
        implements DashboardEvent {

    public static final String TYPE = "topology:change";

    public TopologyChangeEvent {
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
    }

    /** Without a causal link, in the default swarm. */
    public TopologyChangeEvent(Topology topology, List<Node> nodes, List<Edge> edges, long timestamp) {
        this(topology, nodes, edges, timestamp, null, null);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Channel channel() {
        return Channel.TOPOLOGY;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.topologyChange(this);
    }

    @Override
    public TopologyChangeEvent withSwarmId(String swarmId) {
        return new TopologyChangeEvent(topology, nodes, edges, timestamp, trace, swarmId);
    }

    /** One agent in the graph; {@code status} is the agent's status word. */
    public record Node(String id, String name, String type, String status) {
    }

    /** A link between two agents; {@code health} says whether it works (e.g. healthy, degraded, down). */
    public record Edge(String source, String target, String health) {
    }
}
