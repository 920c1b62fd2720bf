package io.swarmcast.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JDK's {@code java.net.http.WebSocket}, spread over several {@link HttpClient}s (each has one selector
 * thread). Kept for comparison with {@link NioWsClient}: {@code --ws-client jdk}.
 */
final class JdkWsClient implements Ws.Client {

    private final HttpClient[] clients;
    private final AtomicInteger next = new AtomicInteger();

    JdkWsClient(int count) {
        clients = new HttpClient[Math.max(1, count)];
        for (int i = 0; i < clients.length; i++) {
            clients[i] = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        }
    }

    @Override
    public String describe() {
        return "jdk x" + clients.length;
    }

    @Override
    public CompletableFuture<Ws.Conn> connect(URI uri, Ws.Handler handler) {
        Conn conn = new Conn(handler);
        HttpClient client = clients[Math.floorMod(next.getAndIncrement(), clients.length)];
        WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (!Auth.viewer().isEmpty()) {
            builder.header("Authorization", "Bearer " + Auth.viewer());
        }
        return builder.buildAsync(uri, conn)
                .thenApply(ws -> conn);
    }

    @Override
    public void close() {
        // HttpClient has no close on Java 17; its threads are daemons and go when the JVM does.
    }

    private static final class Conn implements Ws.Conn, WebSocket.Listener {
        private final Ws.Handler handler;
        private final StringBuilder partial = new StringBuilder();
        private volatile WebSocket webSocket;
        private volatile boolean aborted;
        private CompletableFuture<WebSocket> sends = CompletableFuture.completedFuture(null);

        Conn(Ws.Handler handler) {
            this.handler = handler;
        }

        @Override
        public void onOpen(WebSocket ws) {
            this.webSocket = ws;
            handler.onOpen(this);
            ws.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            long now = Micros.now();
            if (aborted) {
                return null;
            }
            if (last && partial.length() == 0) {
                handler.onText(this, new Frame.Chars(data), now);
            } else {
                partial.append(data);
                if (last) {
                    handler.onText(this, new Frame.Chars(partial.toString()), now);
                    partial.setLength(0);
                }
            }
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            if (!aborted) {
                handler.onClose(this, statusCode, reason);
            }
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            if (!aborted) {
                handler.onError(this, error);
                handler.onClose(this, 1006, String.valueOf(error.getMessage()));
            }
        }

        @Override
        public synchronized void sendText(String text) {
            // Chained, not joined: this may run inside a listener callback.
            sends = sends.thenCompose(previous -> webSocket.sendText(text, true));
        }

        @Override
        public void abort() {
            aborted = true;
            webSocket.abort();
        }

        @Override
        public void close() {
            try {
                webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // aborting anyway
            }
            webSocket.abort();
        }
    }
}
