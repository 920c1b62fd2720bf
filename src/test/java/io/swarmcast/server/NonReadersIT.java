package io.swarmcast.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.swarmcast.event.MessageSentEvent;
import io.swarmcast.event.MessageType;
import io.swarmcast.support.Meters;
import io.swarmcast.support.TestClient;
import lombok.extern.slf4j.Slf4j;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 500 clients that subscribe and then never read (raw sockets with a small receive buffer), while events flow
 * at about 1,000 a second from the in-process source: a few reading clients get every event, in order, and
 * are never cut, and every non-reader is detected and closed as a slow consumer. The readers' latency is
 * logged, with and without the non-readers; it is not asserted here (a shared test machine gives no stable
 * figure): the benchmark's {@code nonreaders} scenario measures it.
 */
@Slf4j
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "swarmcast.connections.max-per-address=1000",
        "swarmcast.connections.attempts-per-second-per-address=100000",
        "swarmcast.connections.attempt-burst-per-address=100000",
        "swarmcast.heartbeat-interval=120s",
        // The readers share two cores with the server and the non-readers (and, on a build machine, with other
        // builds): a generous backlog bound keeps a reader starved of CPU for a moment from being taken for a
        // slow consumer. The non-readers are caught by the send-time limit instead, as a client that stops
        // reading always is.
        "swarmcast.limits.send-buffer-limit=16MB",
        "swarmcast.limits.send-time-limit=5s",
        "swarmcast.metrics-enabled=false"})
class NonReadersIT {

    private static final int NON_READERS = 500;
    private static final int READERS = 3;
    private static final int EVENTS_PER_SECOND = 1000;

    @LocalServerPort
    int port;

    @Autowired
    EventServer server;

    @Autowired
    MeterRegistry meters;

    private int nextMessage;

    @Test
    void readersGetEveryEventInOrderWhileHundredsOfNonReadersAreDetectedAndClosed() throws Exception {
        double slowBefore = Meters.closed(meters, "slow_consumer");
        List<TimedReader> readers = new ArrayList<>();
        List<Socket> nonReaders = new ArrayList<>();
        try {
            for (int i = 0; i < READERS; i++) {
                readers.add(TimedReader.connect(port));
            }
            List<Long> seqs = new ArrayList<>();

            publish(Duration.ofSeconds(2), seqs);
            awaitEvents(readers, seqs.size());
            List<Long> alone = latencies(readers, 0, seqs.size());

            for (int i = 0; i < NON_READERS; i++) {
                nonReaders.add(nonReader(port));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> server.getConnectedClients() == READERS + NON_READERS);
            int mark = seqs.size();
            publish(Duration.ofSeconds(10), seqs);
            awaitEvents(readers, seqs.size());
            List<Long> withNonReaders = latencies(readers, mark, seqs.size());

            for (TimedReader reader : readers) {
                assertThat(reader.seqs).as("every event, in order, exactly once").isEqualTo(seqs);
                assertThat(reader.closed).as("a reader is never cut").isNotDone();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> server.getConnectedClients() == READERS);
            assertThat(Meters.closed(meters, "slow_consumer")).isEqualTo(slowBefore + NON_READERS);

            log.info("readers' latency at {} events/s: alone p50 {} ms, p99 {} ms, max {} ms; with {} non-readers "
                            + "p50 {} ms, p99 {} ms, max {} ms", EVENTS_PER_SECOND, percentile(alone, 50),
                    percentile(alone, 99), percentile(alone, 100), NON_READERS, percentile(withNonReaders, 50),
                    percentile(withNonReaders, 99), percentile(withNonReaders, 100));
        } finally {
            readers.forEach(TimedReader::close);
            for (Socket socket : nonReaders) {
                socket.close();
            }
        }
    }

    /** Publishes {@value #EVENTS_PER_SECOND} events a second, ten every 10 ms, each with its own timestamp. */
    private void publish(Duration duration, List<Long> seqs) {
        long start = System.nanoTime();
        long ticks = duration.toMillis() / 10;
        for (long tick = 0; tick < ticks; tick++) {
            LockSupport.parkNanos(start + tick * 10_000_000L - System.nanoTime());
            for (int i = 0; i < EVENTS_PER_SECOND / 100; i++) {
                seqs.add(server.broadcast(message()));
            }
        }
    }

    private MessageSentEvent message() {
        int n = ++nextMessage;
        String payload = ("payload-" + n + "-").repeat(20).substring(0, 100);
        return new MessageSentEvent("nr-" + n, "agent-a", "agent-b", MessageType.BROADCAST,
                TestClient.JSON.valueToTree(payload), 100, System.currentTimeMillis());
    }

    private static void awaitEvents(List<TimedReader> readers, int count) {
        await().atMost(Duration.ofSeconds(60))
                .failFast("a reader was closed", () -> readers.stream().anyMatch(r -> r.closed.isDone()))
                .until(() -> readers.stream().allMatch(r -> r.seqs.size() >= count));
    }

    private static List<Long> latencies(List<TimedReader> readers, int from, int to) {
        List<Long> all = new ArrayList<>();
        readers.forEach(reader -> all.addAll(reader.latencies.subList(from, to)));
        Collections.sort(all);
        return all;
    }

    private static long percentile(List<Long> sorted, double percentile) {
        int index = (int) Math.ceil(percentile / 100 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    /** Completes the handshake, subscribes to messages and never reads again; its receive buffer is 4 KiB. */
    private static Socket nonReader(int port) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("localhost", port), 5000);
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        OutputStream out = socket.getOutputStream();
        out.write(("GET / HTTP/1.1\r\nHost: localhost:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + java.util.Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        StringBuilder response = new StringBuilder();
        while (!response.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("handshake response").isNotNegative();
            response.append((char) b);
        }
        assertThat(response.toString()).startsWith("HTTP/1.1 101");
        out.write(maskedText("{\"type\":\"subscribe\",\"channel\":\"messages\",\"snapshot\":false}"));
        return socket;
    }

    private static byte[] maskedText(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[2 + 4 + payload.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | payload.length); // under 126 bytes
        byte[] mask = {1, 2, 3, 4};
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        return frame;
    }

    /** A reading client that records each event's seq and its latency (receipt minus the event's timestamp). */
    private static final class TimedReader implements WebSocket.Listener {
        private static final HttpClient HTTP = HttpClient.newHttpClient();
        final List<Long> seqs = new CopyOnWriteArrayList<>();
        final List<Long> latencies = new CopyOnWriteArrayList<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final CompletableFuture<Void> subscribed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket webSocket;

        static TimedReader connect(int port) {
            TimedReader reader = new TimedReader();
            reader.webSocket = HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://localhost:" + port + "/"), reader)
                    .join();
            reader.webSocket.sendText("{\"type\":\"subscribe\",\"channel\":\"messages\",\"snapshot\":false}", true).join();
            reader.subscribed.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
            return reader;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                long now = System.currentTimeMillis();
                JsonNode frame = TestClient.JSON.readTree(partial.toString());
                partial.setLength(0);
                if (frame.has("seq") && frame.has("channel")) {
                    seqs.add(frame.path("seq").asLong());
                    latencies.add(now - frame.path("timestamp").asLong());
                } else if ("subscribed".equals(frame.path("type").asString())) {
                    subscribed.complete(null);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            log.warn("reader failed", error);
            closed.complete(-1);
        }

        void close() {
            webSocket.abort();
        }
    }
}
