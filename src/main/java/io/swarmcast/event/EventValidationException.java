package io.swarmcast.event;

import lombok.Getter;

/** An event that breaks the protocol: says which field and why, in words fit for the sender. */
@Getter
public class EventValidationException extends RuntimeException {

    private final String field;

    public EventValidationException(String field, String message) {
        super(message);
        this.field = field;
    }
}
