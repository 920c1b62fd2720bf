package io.swarmcast.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.swarmcast.support.Meters;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The inbound frame limit of docs/protocol.md section 6 at its default, 64 KiB: a frame of exactly the limit
 * is read and answered, one byte more closes the connection with 1009 (and only that connection). The limit
 * is in bytes, as on the wire, also for text in characters that take several bytes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FrameSizeLimitIT {

    private static final int DEFAULT_LIMIT = 64 * 1024;

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    @Autowired
    EventServer server;

    @Test
    void frameOfExactlyTheLimitIsAccepted() {
        try (TestClient client = TestClient.connectWelcomed(port)) {
            client.send(pingOfSize(DEFAULT_LIMIT - 1));
            client.awaitType("pong", 1);
            client.send(pingOfSize(DEFAULT_LIMIT));
            client.awaitType("pong", 2);

            assertThat(client.framesOfType("error")).isEmpty();
            assertThat(client.isOpen()).isTrue();
        }
    }

    @Test
    void frameOverTheLimitClosesTheConnectionWith1009AndOnlyThatOne() {
        try (TestClient bystander = TestClient.connectWelcomed(port);
             TestClient client = TestClient.connectWelcomed(port)) {
            double before = Meters.closed(meters, "frame_too_big");

            client.send(pingOfSize(DEFAULT_LIMIT + 1));

            assertThat(client.awaitClose()).isEqualTo(1009);
            assertThat(client.framesOfType("pong")).isEmpty();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> Meters.closed(meters, "frame_too_big") == before + 1);

            int pongs = bystander.framesOfType("pong").size();
            bystander.send("{\"type\":\"ping\"}");
            bystander.awaitType("pong", pongs + 1);
            assertThat(bystander.isOpen()).isTrue();
        }
    }

    @Test
    void limitCountsBytesNotCharacters() {
        String head = "{\"type\":\"ping\",\"pad\":\"";
        String tail = "\"}";
        // Three-byte characters: the first frame is exactly the limit in bytes, the second 3 bytes over it,
        // while both stay far under it in characters.
        int fill = (DEFAULT_LIMIT - head.length() - tail.length() - 1) / 3;
        String atLimit = head + "x" + "\u20ac".repeat(fill) + tail;
        String overLimit = head + "x" + "\u20ac".repeat(fill + 1) + tail;
        assertThat(atLimit.getBytes(StandardCharsets.UTF_8)).hasSize(DEFAULT_LIMIT);
        assertThat(overLimit.getBytes(StandardCharsets.UTF_8)).hasSize(DEFAULT_LIMIT + 3);
        assertThat(overLimit.length()).isLessThan(DEFAULT_LIMIT / 2);

        double before = Meters.closed(meters, "frame_too_big");
        try (TestClient client = TestClient.connectWelcomed(port)) {
            client.send(atLimit);
            client.awaitType("pong", 1);

            client.send(overLimit);
            assertThat(client.awaitClose()).isEqualTo(1009);
            assertThat(client.framesOfType("pong")).hasSize(1);
            assertThat(client.framesOfType("error")).isEmpty();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> Meters.closed(meters, "frame_too_big") == before + 1);
    }

    /** A valid ping frame of exactly {@code bytes} bytes (ASCII, so bytes and chars agree). */
    static String pingOfSize(int bytes) {
        String head = "{\"type\":\"ping\",\"pad\":\"";
        String tail = "\"}";
        String frame = head + "x".repeat(bytes - head.length() - tail.length()) + tail;
        assertThat(frame.length()).isEqualTo(bytes);
        return frame;
    }
}
