package io.swarmcast.domain;

/** The thing a request names does not exist: 404. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String kind, String id) {
        super(kind + " '" + id + "' not found");
    }
}
