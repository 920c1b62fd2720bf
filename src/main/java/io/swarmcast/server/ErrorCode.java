package io.swarmcast.server;

/** The error codes of docs/protocol.md section 2. An error frame never closes the connection by itself. */
enum ErrorCode {
    INVALID_JSON, UNKNOWN_TYPE, INVALID_CHANNEL, INVALID_FIELD, BINARY_UNSUPPORTED, RATE_LIMITED, UNAUTHORIZED,
    HISTORY_GAP, UNKNOWN_SWARM;

    String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
