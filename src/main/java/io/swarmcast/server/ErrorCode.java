package io.swarmcast.server;

/** The error codes of docs/protocol.md section 2. An error frame never closes the connection by itself. */
enum ErrorCode {
    INVALID_JSON, UNKNOWN_TYPE, INVALID_CHANNEL, INVALID_FIELD, BINARY_UNSUPPORTED, RATE_LIMITED, UNAUTHORIZED,
    HISTORY_GAP,
    /** A playback's or seek's point is older than the retained history; the frame names the oldest available. */
    HISTORY_TRIMMED,
    /** No playback could start: the server runs as many as {@code timeline.max-playbacks} allows (or none). */
    PLAYBACK_LIMIT,
    /** pause, resume, seek or stop while the connection has no playback. */
    NO_PLAYBACK,
    /** subscribe or unsubscribe while the connection plays back: stop first. */
    PLAYBACK_ACTIVE,
    /** subscribe or replay naming a swarm the server does not hold (docs/protocol.md 7.15). */
    UNKNOWN_SWARM;

    String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
