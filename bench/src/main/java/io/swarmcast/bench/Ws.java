package io.swarmcast.bench;

import java.io.Closeable;
import java.net.URI;
import java.util.concurrent.CompletableFuture;

/** The little the scenarios need from a WebSocket client, so the NIO and the JDK client are interchangeable. */
final class Ws {

    private Ws() {
    }

    /** One connection. */
    interface Conn {
        /** Sends a text frame; small frames only (subscribe requests). */
        void sendText(String text);

        /** Drops the connection without a close handshake; no callback runs for it after this returns. */
        void abort();

        /** Closes with 1000. */
        void close();
    }

    /** Callbacks for one connection; a connection's callbacks never run concurrently. */
    interface Handler {
        void onOpen(Conn conn);

        /** A whole text message; {@code receivedMicros} is the wall-clock time the bytes were read. */
        void onText(Conn conn, Frame frame, long receivedMicros);

        /** The connection closed: {@code code} from the close frame, 1006 when it just ended. */
        void onClose(Conn conn, int code, String reason);

        void onError(Conn conn, Throwable error);
    }

    /** A client able to open many connections. */
    interface Client extends Closeable {
        /** Completes when the handshake succeeded, exceptionally when it failed (refused, fd limit, HTTP status). */
        CompletableFuture<Conn> connect(URI uri, Handler handler);

        String describe();

        @Override
        void close();
    }

    /**
     * A handshake answered with an HTTP status instead of 101. {@code retryAfterMillis} is the answer's
     * {@code Retry-After} (whole seconds), or -1 without one: a 503 or 429 with it asks the client to come back.
     */
    static final class HandshakeRefused extends java.io.IOException {
        final int status;
        final long retryAfterMillis;

        HandshakeRefused(String statusLine, int status, long retryAfterMillis) {
            super("WebSocket handshake refused: " + statusLine);
            this.status = status;
            this.retryAfterMillis = retryAfterMillis;
        }

        boolean asksToRetry() {
            return (status == 503 || status == 429) && retryAfterMillis >= 0;
        }

        /** Parses the status line and Retry-After out of a response head (status line, headers, blank line). */
        static HandshakeRefused of(String head) {
            String statusLine = head.substring(0, head.indexOf('\r'));
            String[] parts = statusLine.split(" ", 3);
            int status = parts.length > 1 && parts[1].matches("\\d{3}") ? Integer.parseInt(parts[1]) : -1;
            long retryAfter = -1;
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Retry-After")) {
                    try {
                        retryAfter = Long.parseLong(line.substring(colon + 1).trim()) * 1000;
                    } catch (NumberFormatException ignored) {
                        // an HTTP date: treat as no hint
                    }
                }
            }
            return new HandshakeRefused(statusLine, status, retryAfter);
        }
    }

    /** {@code nio} (default, this project's minimal client) or {@code jdk} ({@code java.net.http.WebSocket}). */
    static Client create(String kind, int threads) {
        return switch (kind) {
            case "nio" -> new NioWsClient(threads);
            case "jdk" -> new JdkWsClient(threads);
            default -> throw new IllegalArgumentException("--ws-client must be nio or jdk (got '" + kind + "')");
        };
    }
}
