package io.swarmcast.message;

import io.swarmcast.event.MessageType;
import tools.jackson.databind.JsonNode;

/**
 * One message between agents.
 *
 * @param target an agent id, or {@code *} for a broadcast to every agent
 * @param size   the payload's size in bytes
 */
public record Message(String id, String source, String target, MessageType type, JsonNode payload, long size,
                      long timestamp) {

    public static final String EVERYONE = "*";
}
