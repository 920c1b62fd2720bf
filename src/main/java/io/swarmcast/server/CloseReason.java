package io.swarmcast.server;

import org.springframework.web.socket.CloseStatus;

/** Why the server closed a connection: the close frame it sends and the tag it counts under in metrics. */
enum CloseReason {
    MAX_CONNECTIONS(new CloseStatus(1013, "Max connections reached")),
    /** A handshake that raced past the per-address check at the handshake (which answers 429). */
    TOO_MANY_FROM_ADDRESS(new CloseStatus(1013, "Too many connections from this address")),
    /** Subscribed to nothing for {@code connections.unsubscribed-timeout}: an idle socket holding a slot. */
    UNSUBSCRIBED(new CloseStatus(4000, "no subscription")),
    SLOW_CONSUMER(new CloseStatus(1013, "slow consumer")),
    HEARTBEAT_TIMEOUT(new CloseStatus(1001, "heartbeat timeout")),
    RATE_LIMITED(new CloseStatus(1008, "rate limit exceeded")),
    /** A text frame over the limit in bytes though within it in characters (the container checks characters). */
    FRAME_TOO_BIG(new CloseStatus(1009, "frame too big")),
    SHUTDOWN(new CloseStatus(1001, "Server shutting down")),
    SEND_FAILED(CloseStatus.SERVER_ERROR);

    private final CloseStatus status;

    CloseReason(CloseStatus status) {
        this.status = status;
    }

    CloseStatus status() {
        return status;
    }

    String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The tag for a close the server did not decide: the client's own, or a frame over the size limit. */
    static String tagFor(CloseStatus status) {
        return switch (status.getCode()) {
            case 1009 -> "frame_too_big";
            case 1000, 1001, 1005 -> "client";
            default -> "status_" + status.getCode();
        };
    }
}
