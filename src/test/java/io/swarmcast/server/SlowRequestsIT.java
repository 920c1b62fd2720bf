package io.swarmcast.server;

import io.swarmcast.support.NoClientLeft;
import io.swarmcast.support.Http;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static io.swarmcast.server.AdmissionServerTest.REQUEST_HEADER_TIMEOUT_MILLIS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Slow requests ({@link AdmissionServerTest}: 2 s for a request header): a few hundred connections trickling
 * one header line every 400 ms (so Tomcat's per-read timeout never fires), half-sent WebSocket handshakes and
 * connections that send nothing do not make health or the WebSocket unreachable, and each is dropped within
 * the header deadline plus the 2 s the deadline's check and Tomcat's poller may add.
 */
@AdmissionServerTest
@ExtendWith(NoClientLeft.class)
class SlowRequestsIT {

    private static final int TRICKLERS = 300;
    private static final int HALF_HANDSHAKES = 20;
    private static final int SILENT = 20;
    /** The deadline, plus up to 1 s for the deadline's check and 1 s for Tomcat's poller, plus slack for a busy machine. */
    private static final long DROPPED_WITHIN_MILLIS = REQUEST_HEADER_TIMEOUT_MILLIS + 2000 + 1500;

    @LocalServerPort
    int port;

    @Autowired
    EventServer server;


    @Test
    void slowAndHalfSentRequestsAreDroppedInTimeAndNeverBlockHealthOrWebSocket() throws Exception {
        List<Slow> slow = new ArrayList<>();
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try (TestClient watcher = TestClient.connectWelcomed(port)) {
            watcher.subscribe("agents");
            for (int i = 0; i < TRICKLERS; i++) {
                slow.add(Slow.open(port, "GET /actuator/health HTTP/1.1\r\nHost: localhost\r\n", true));
            }
            for (int i = 0; i < HALF_HANDSHAKES; i++) {
                slow.add(Slow.open(port, "GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n", false));
            }
            for (int i = 0; i < SILENT; i++) {
                slow.add(Slow.open(port, "", false));
            }
            trickle.scheduleWithFixedDelay(() -> slow.forEach(Slow::step), 400, 400, TimeUnit.MILLISECONDS);

            // While they hang on: health answers, a WebSocket handshake succeeds, the subscribed client is served.
            assertThat(Http.get(port, "/actuator/health").status()).isEqualTo(200);
            try (TestClient during = TestClient.connectWelcomed(port)) {
                during.subscribe("tasks");
            }
            int pongs = watcher.framesOfType("pong").size();
            watcher.send("{\"type\":\"ping\"}");
            watcher.awaitType("pong", pongs + 1);

            await().atMost(Duration.ofMillis(DROPPED_WITHIN_MILLIS + 5000)).pollInterval(Duration.ofMillis(200))
                    .until(() -> slow.stream().allMatch(Slow::dropped) || System.nanoTime() - slow.get(0).openedNanos
                            > TimeUnit.MILLISECONDS.toNanos(DROPPED_WITHIN_MILLIS + 4000));
            assertThat(slow).as("kinds still open: tricklers %d, half handshakes %d, silent %d",
                            slow.subList(0, TRICKLERS).stream().filter(s -> !s.dropped()).count(),
                            slow.subList(TRICKLERS, TRICKLERS + HALF_HANDSHAKES).stream().filter(s -> !s.dropped()).count(),
                            slow.subList(TRICKLERS + HALF_HANDSHAKES, slow.size()).stream().filter(s -> !s.dropped()).count())
                    .allMatch(Slow::dropped);
            long slowest = slow.stream().mapToLong(Slow::lifetimeMillis).max().orElseThrow();
            assertThat(slowest).as("every slow request dropped within %d ms", DROPPED_WITHIN_MILLIS)
                    .isLessThanOrEqualTo(DROPPED_WITHIN_MILLIS);
            assertThat(slow.stream().filter(s -> s.trickling).mapToLong(Slow::lifetimeMillis).min().orElseThrow())
                    .as("the tricklers lived until the header deadline, not less")
                    .isGreaterThanOrEqualTo(REQUEST_HEADER_TIMEOUT_MILLIS - 100);

            assertThat(Http.get(port, "/actuator/health").status()).isEqualTo(200);
            assertThat(watcher.isClosed()).isFalse();
        } finally {
            trickle.shutdownNow();
            trickle.awaitTermination(5, TimeUnit.SECONDS);
            slow.forEach(Slow::close);
        }
    }

    /** One raw connection that sends a start and then, if trickling, one more header line at every step. */
    private static final class Slow {
        private final SocketChannel channel;
        private final boolean trickling;
        private final long openedNanos = System.nanoTime();
        private volatile long droppedNanos;
        private int lines;

        private Slow(SocketChannel channel, boolean trickling) {
            this.channel = channel;
            this.trickling = trickling;
        }

        static Slow open(int port, String start, boolean trickling) throws IOException {
            SocketChannel channel = SocketChannel.open(new InetSocketAddress("localhost", port));
            channel.write(ByteBuffer.wrap(start.getBytes(StandardCharsets.US_ASCII)));
            channel.configureBlocking(false);
            return new Slow(channel, trickling);
        }

        /** Sends the next line when trickling, and notices a drop: end of stream, a reset, or an answer. */
        void step() {
            if (droppedNanos != 0) {
                return;
            }
            try {
                if (trickling) {
                    channel.write(ByteBuffer.wrap(("X-Slow-" + (lines++) + ": 1\r\n").getBytes(StandardCharsets.US_ASCII)));
                }
                // Tomcat may answer (400 or 408) before closing: any answer is the server giving up on it.
                if (channel.read(ByteBuffer.allocate(4096)) != 0) {
                    droppedNanos = System.nanoTime();
                }
            } catch (IOException e) {
                droppedNanos = System.nanoTime();
            }
        }

        boolean dropped() {
            return droppedNanos != 0;
        }

        long lifetimeMillis() {
            return TimeUnit.NANOSECONDS.toMillis(droppedNanos - openedNanos);
        }

        void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // closing a test socket
            }
        }
    }
}
