package io.swarmcast.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import lombok.Builder;
import tools.jackson.databind.JsonNode;

/**
 * {@code message:sent}: one agent said something to another (or to everyone).
 *
 * @param payload any JSON the agents exchanged; cut in frames past the configured size
 * @param size    the payload's size in bytes, as the producer measured it
 * @param trace   its causal link, if any
 * @param swarmId its swarm, null for the default one (docs/protocol.md 7.15)
 */
@Builder(toBuilder = true)
public record MessageSentEvent(String messageId, String source, String target, MessageType messageType,
                               JsonNode payload, long size, long timestamp,
                               @JsonInclude(JsonInclude.Include.NON_NULL) Trace trace,
                               @JsonInclude(JsonInclude.Include.NON_NULL) String swarmId)
        implements DashboardEvent {
    public static final String TYPE = "message:sent";

    /** Without a causal link, in the default swarm. */
    public MessageSentEvent(String messageId, String source, String target, MessageType messageType,
                            JsonNode payload, long size, long timestamp) {
        this(messageId, source, target, messageType, payload, size, timestamp, null, null);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Channel channel() {
        return Channel.MESSAGES;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.messageSent(this);
    }

    @Override
    public MessageSentEvent withSwarmId(String swarmId) {
        return toBuilder().swarmId(swarmId).build();
    }
}
