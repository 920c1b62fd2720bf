package io.swarmcast.domain;

/** The request is valid but the current state does not allow it (an illegal lifecycle transition): 409. */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
