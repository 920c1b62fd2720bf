package io.swarmcast.bench;

import io.swarmcast.support.Http;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** With {@code swarmcast.bench.enabled=true}, {@code POST /bench/emit} publishes through the event server. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "swarmcast.bench.enabled=true")
class InProcessLoadIT {

    @LocalServerPort
    int port;

    @Test
    void emitsTimestampedMessagesThatSubscribersReceiveInOrder() {
        try (TestClient client = TestClient.connectWelcomed(port)) {
            client.subscribe("messages");
            long before = epochMicros();
            Http.Response response = Http.post(port, "/bench/emit?rate=200&seconds=0.5", "");
            long after = epochMicros();

            assertThat(response.status()).isEqualTo(200);
            long emitted = response.json().path("emitted").asLong();
            // 200/s for half a second: about 100, never more than the schedule allows.
            assertThat(emitted).isBetween(1L, 101L);
            await().atMost(Duration.ofSeconds(10)).until(() -> messages(client).size() >= emitted);

            List<JsonNode> frames = messages(client);
            assertThat(frames).hasSize((int) emitted);
            long previousSeq = 0;
            for (JsonNode frame : frames) {
                assertThat(frame.path("source").asString()).isEqualTo(InProcessLoad.SOURCE);
                assertThat(frame.path("seq").asLong()).isGreaterThan(previousSeq);
                previousSeq = frame.path("seq").asLong();
                assertThat(frame.path("payload").path("t").asLong()).isBetween(before, after);
            }
        }
    }

    @Test
    void refusesOutOfRangeParameters() {
        Http.Response badRate = Http.post(port, "/bench/emit?rate=-1&seconds=1", "");
        assertThat(badRate.status()).isEqualTo(400);
        assertThat(badRate.json().path("field").asString()).isEqualTo("rate");

        Http.Response badSeconds = Http.post(port, "/bench/emit?rate=10&seconds=0", "");
        assertThat(badSeconds.status()).isEqualTo(400);
        assertThat(badSeconds.json().path("field").asString()).isEqualTo("seconds");
    }

    @Test
    void allowsOneRunAtATime() {
        try (TestClient client = TestClient.connectWelcomed(port)) {
            client.subscribe("messages");
            CompletableFuture<Http.Response> first =
                    CompletableFuture.supplyAsync(() -> Http.post(port, "/bench/emit?rate=50&seconds=3", ""));
            // The first run is under way once its events arrive.
            await().atMost(Duration.ofSeconds(10)).until(() -> !messages(client).isEmpty());

            Http.Response second = Http.post(port, "/bench/emit?rate=50&seconds=1", "");

            assertThat(second.status()).isEqualTo(409);
            assertThat(first.join().status()).isEqualTo(200);
        }
    }

    private static List<JsonNode> messages(TestClient client) {
        return client.framesOfType("message:sent");
    }

    private static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
