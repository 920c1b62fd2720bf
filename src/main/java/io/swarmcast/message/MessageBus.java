package io.swarmcast.message;

import io.swarmcast.agent.AgentService;
import io.swarmcast.domain.ConflictException;
import io.swarmcast.domain.DomainLock;
import io.swarmcast.domain.InvalidRequestException;
import io.swarmcast.domain.RateWindow;
import io.swarmcast.event.AgentStatus;
import io.swarmcast.event.MessageType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Carries messages between agents (or from one agent to all). Each message counts toward its sender's and
 * receiver's message count and toward the messages-per-second rate.
 */
@Service
public class MessageBus {

    /** The swarm this instance serves; null for the default swarm. */
    private final String swarmId;
    private final DomainLock lock;
    private final AgentService agents;
    private final ApplicationEventPublisher events;
    private final ObjectMapper mapper;
    private final RateWindow rate = new RateWindow();
    private final LongSupplier clock = System::currentTimeMillis;

    @Autowired
    public MessageBus(DomainLock lock, AgentService agents, ApplicationEventPublisher events, ObjectMapper mapper) {
        this(lock, agents, events, mapper, null);
    }

    /** The message bus of one swarm ({@link io.swarmcast.swarm.Swarms}); {@code swarmId} null is the default swarm. */
    public MessageBus(DomainLock lock, AgentService agents, ApplicationEventPublisher events, ObjectMapper mapper,
                      String swarmId) {
        this.swarmId = swarmId;
        this.lock = lock;
        this.agents = agents;
        this.events = events;
        this.mapper = mapper;
    }

    /**
     * Sends a message from a known agent. The target must be a known agent, or {@code *} (or absent, for a
     * broadcast) for everyone.
     */
    public Message send(String source, String target, MessageType type, JsonNode payload) {
        return lock.call(() -> {
            if (agents.get(source).status() == AgentStatus.STOPPED) {
                throw new ConflictException("agent '" + source + "' is stopped and cannot send");
            }
            String to = target == null || "broadcast".equals(target) ? Message.EVERYONE : target;
            if (!Message.EVERYONE.equals(to)) {
                agents.get(to);
            } else if (target == null && type != MessageType.BROADCAST) {
                throw new InvalidRequestException("target", "target is required unless type is broadcast");
            }
            Message message = new Message("msg-" + UUID.randomUUID().toString().substring(0, 12), source, to, type,
                    payload, sizeOf(payload), clock.getAsLong());
            return deliver(message);
        });
    }

    /** Records a message a producer reported, as reported; returns the event raised for it. */
    public MessageSent observe(Message message) {
        return lock.call(() -> deliverAndRaise(message));
    }

    /** Messages over the last second. */
    public double messagesPerSecond() {
        return rate.perSecond();
    }

    private Message deliver(Message message) {
        return deliverAndRaise(message).message();
    }

    private MessageSent deliverAndRaise(Message message) {
        agents.messageCounted(message.source());
        if (!Message.EVERYONE.equals(message.target()) && !message.target().equals(message.source())) {
            agents.messageCounted(message.target());
        }
        rate.record();
        MessageSent sent = new MessageSent(message, swarmId);
        events.publishEvent(sent);
        return sent;
    }

    private long sizeOf(JsonNode payload) {
        if (payload == null || payload.isNull()) {
            return 0;
        }
        String text = payload.isString() ? payload.stringValue() : mapper.writeValueAsString(payload);
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
