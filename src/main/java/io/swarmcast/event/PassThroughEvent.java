package io.swarmcast.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.node.ObjectNode;

/**
 * An event of a type Swarmcast does not model ({@code swarm}, {@code consensus}, ...), posted by the
 * Claude Flow CLI. It is stored and broadcast on the channel the producer named, its body untouched in {@code data}.
 *
 * @param trace its causal link, read from the body's {@code traceId} and {@code parentId}, if any
 * @param swarmId its swarm, null for the default one (docs/protocol.md 7.15)
 */
public record PassThroughEvent(String type, Channel channel, ObjectNode data, long timestamp,
                               @JsonInclude(JsonInclude.Include.NON_NULL) Trace trace,
                               @JsonInclude(JsonInclude.Include.NON_NULL) String swarmId)
        implements DashboardEvent {

    /** Without a causal link, in the default swarm. */
    public PassThroughEvent(String type, Channel channel, ObjectNode data, long timestamp) {
        this(type, channel, data, timestamp, null, null);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.passThrough(this);
    }

    @Override
    public PassThroughEvent withSwarmId(String swarmId) {
        return new PassThroughEvent(type, channel, data, timestamp, trace, swarmId);
    }
}
