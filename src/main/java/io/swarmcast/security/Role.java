package io.swarmcast.security;

/** What a token may do. A producer may do everything a viewer may. */
public enum Role {
    /** Reads: the WebSocket stream, {@code GET /api/**}, health details, the actuator. */
    VIEWER,
    /** Also writes: ingest, commands, the bench endpoint. */
    PRODUCER;

    boolean grants(Role needed) {
        return this == PRODUCER || needed == VIEWER;
    }
}
