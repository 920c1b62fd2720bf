package io.swarmcast.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.node.ObjectNode;

/**
 * An event of a type Swarmcast does not model ({@code swarm}, {@code consensus}, ...), posted by the
 * Claude Flow CLI. It is stored and broadcast on the channel the producer named, its body untouched in {@code data}.
 */
public record PassThroughEvent(String type, Channel channel, ObjectNode data, long timestamp,
                               @JsonInclude(JsonInclude.Include.NON_NULL) String swarmId) implements DashboardEvent {

    /** An event of the default swarm (no {@code swarmId} on the wire). */
    public PassThroughEvent(String type, Channel channel, ObjectNode data, long timestamp) {
        this(type, channel, data, timestamp, null);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.passThrough(this);
    }

    @Override
    public PassThroughEvent withSwarmId(String swarmId) {
        return new PassThroughEvent(type, channel, data, timestamp, swarmId);
    }
}
