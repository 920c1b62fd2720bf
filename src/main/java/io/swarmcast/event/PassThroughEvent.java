package io.swarmcast.event;

import tools.jackson.databind.node.ObjectNode;

/**
 * An event of a type Swarmcast does not model ({@code swarm}, {@code consensus}, ...), posted by the
 * Claude Flow CLI. It is stored and broadcast on the channel the producer named, its body untouched in {@code data}.
 */
public record PassThroughEvent(String type, Channel channel, ObjectNode data, long timestamp) implements DashboardEvent {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.passThrough(this);
    }
}
