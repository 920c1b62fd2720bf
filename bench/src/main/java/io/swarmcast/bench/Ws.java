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

    /** {@code nio} (default, this project's minimal client) or {@code jdk} ({@code java.net.http.WebSocket}). */
    static Client create(String kind, int threads) {
        return switch (kind) {
            case "nio" -> new NioWsClient(threads);
            case "jdk" -> new JdkWsClient(threads);
            default -> throw new IllegalArgumentException("--ws-client must be nio or jdk (got '" + kind + "')");
        };
    }
}
