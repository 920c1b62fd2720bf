package io.swarmcast.message;

import io.swarmcast.domain.DomainEvent;
import io.swarmcast.domain.Publication;

/** Raised for every message on the bus. The publisher fills in its {@link Publication}. */
public record MessageSent(Message message, Publication publication) implements DomainEvent {

    public MessageSent(Message message) {
        this(message, new Publication());
    }
}
