package io.swarmcast.message;

/** Raised for every message on the bus. */
public record MessageSent(Message message) {
}
