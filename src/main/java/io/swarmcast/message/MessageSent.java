package io.swarmcast.message;

import io.swarmcast.domain.DomainEvent;
import io.swarmcast.domain.Publication;

/** Raised for every message on the bus. The publisher fills in its {@link Publication}. */
public record MessageSent(Message message, Publication publication, String swarmId) implements DomainEvent {

    /** @param swarmId the swarm whose service raised it; null for the default swarm */
    public MessageSent(Message message, String swarmId) {
        this(message, new Publication(), swarmId);
    }
}
