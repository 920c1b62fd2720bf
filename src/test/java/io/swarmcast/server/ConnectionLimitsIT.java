package io.swarmcast.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.swarmcast.support.NoClientLeft;
import io.swarmcast.support.Http;
import io.swarmcast.support.Meters;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.swarmcast.server.LimitedServerTest.MAX_CONNECTIONS;
import static io.swarmcast.server.LimitedServerTest.RATE_BURST;
import static io.swarmcast.server.LimitedServerTest.RATE_LIMIT_CLOSE_AFTER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * maxConnections and the inbound rate limit of docs/protocol.md section 6, with small settings
 * ({@link LimitedServerTest}): 3 connections; 5 frames/s with a burst of 10, closed after 10 refused frames.
 */
@LimitedServerTest
@ExtendWith(NoClientLeft.class)
class ConnectionLimitsIT {

    private static final String PING = "{\"type\":\"ping\"}";

    @LocalServerPort
    int port;

    @Autowired
    EventServer server;

    @Autowired
    MeterRegistry meters;


    @Test
    void connectionOverMaxConnectionsIsClosedWith1013UntilOneLeaves() {
        double refusedBefore = Meters.closed(meters, "max_connections");
        List<TestClient> admitted = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_CONNECTIONS; i++) {
                admitted.add(TestClient.connectWelcomed(port));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> server.getConnectedClients() == MAX_CONNECTIONS);

            try (TestClient refused = TestClient.connect(port)) {
                assertThat(refused.awaitClose()).isEqualTo(1013);
                assertThat(refused.closeReason()).isEqualTo("Max connections reached");
                assertThat(refused.framesOfType("welcome")).as("a refused client is not welcomed").isEmpty();
            }
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> Meters.closed(meters, "max_connections") == refusedBefore + 1);
            assertThat(server.getConnectedClients()).isEqualTo(MAX_CONNECTIONS);
            for (TestClient client : admitted) {
                assertPingAnswered(client);
            }

            admitted.remove(0).close();
            await().atMost(Duration.ofSeconds(20)).until(() -> server.getConnectedClients() == MAX_CONNECTIONS - 1);

            TestClient replacement = TestClient.connectWelcomed(port);
            admitted.add(replacement);
            assertPingAnswered(replacement);
            assertThat(server.getConnectedClients()).isEqualTo(MAX_CONNECTIONS);

            try (TestClient refusedAgain = TestClient.connect(port)) {
                assertThat(refusedAgain.awaitClose()).isEqualTo(1013);
                assertThat(refusedAgain.closeReason()).isEqualTo("Max connections reached");
            }
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> Meters.closed(meters, "max_connections") == refusedBefore + 2);
            assertThat(prometheusClosedCount("max_connections")).isEqualTo(Meters.closed(meters, "max_connections"));
        } finally {
            admitted.forEach(TestClient::close);
        }
    }

    @Test
    void burstOverTheRateGetsRateLimitedErrorsAndTheConnectionStaysOpen() {
        try (TestClient client = TestClient.connectWelcomed(port)) {
            int burst = RATE_BURST + RATE_LIMIT_CLOSE_AFTER - 2;
            for (int i = 0; i < burst; i++) {
                client.send(PING);
            }

            await().atMost(Duration.ofSeconds(10)).until(() ->
                    client.framesOfType("pong").size() + client.framesOfType("error").size() == burst);
            List<JsonNode> errors = client.framesOfType("error");
            assertThat(errors).isNotEmpty().allSatisfy(error -> {
                assertThat(error.path("code").asString()).isEqualTo("rate_limited");
                assertThat(error.path("message").asString()).isNotBlank();
            });
            assertThat(client.framesOfType("pong")).hasSizeGreaterThanOrEqualTo(RATE_BURST);
            assertThat(errors.size()).isLessThanOrEqualTo(RATE_LIMIT_CLOSE_AFTER);

            // At an allowed pace the same connection is served again: the refusals were not a close.
            int pongs = client.framesOfType("pong").size();
            ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
            try {
                pacer.scheduleWithFixedDelay(() -> client.send(PING), 500, 500, TimeUnit.MILLISECONDS);
                client.awaitType("pong", pongs + 2);
            } finally {
                pacer.shutdownNow();
            }
            assertThat(client.isOpen()).isTrue();
            assertThat(client.isClosed()).isFalse();
        }
    }

    @Test
    void burstGetsRateLimitedThenAFloodIsClosedWith1008WhileAClientWithinTheLimitIsNeverRefused() throws Exception {
        double closedBefore = Meters.closed(meters, "rate_limited");
        try (TestClient polite = TestClient.connectWelcomed(port);
             TestClient flooder = TestClient.connectWelcomed(port)) {
            int politePings = 12;
            AtomicInteger sent = new AtomicInteger();
            ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
            try {
                // Two frames a second, well inside 5/s with a burst of 10, for about six seconds.
                pacer.scheduleWithFixedDelay(() -> {
                    if (sent.get() < politePings) {
                        polite.send(PING);
                        sent.incrementAndGet();
                    }
                }, 0, 500, TimeUnit.MILLISECONDS);

                // A burst past the limit: refused with rate_limited errors, too few of them to be closed.
                int burst = RATE_BURST + RATE_LIMIT_CLOSE_AFTER - 2;
                for (int i = 0; i < burst; i++) {
                    flooder.send(PING);
                }
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        flooder.framesOfType("pong").size() + flooder.framesOfType("error").size() == burst);
                List<JsonNode> errors = flooder.framesOfType("error");
                assertThat(errors).isNotEmpty()
                        .allSatisfy(error -> assertThat(error.path("code").asString()).isEqualTo("rate_limited"));
                assertThat(flooder.isClosed()).isFalse();

                // It goes on: closed with 1008. (Replies still queued at that moment, errors included, are
                // dropped with the connection, so how many more errors arrive first is not fixed.)
                int flooded = 0;
                while (!flooder.isClosed() && flooded < 1000) {
                    try {
                        flooder.send(PING);
                        flooded++;
                    } catch (CompletionException | IllegalStateException e) {
                        break; // the server closed the connection under us
                    }
                }
                assertThat(flooder.awaitClose()).isEqualTo(1008);
                assertThat(flooder.closeReason()).isEqualTo("rate limit exceeded");
                assertThat(flooder.framesOfType("error"))
                        .allSatisfy(error -> assertThat(error.path("code").asString()).isEqualTo("rate_limited"))
                        .hasSizeLessThanOrEqualTo(RATE_LIMIT_CLOSE_AFTER);
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> Meters.closed(meters, "rate_limited") == closedBefore + 1);

                await().atMost(Duration.ofSeconds(30)).until(() -> polite.framesOfType("pong").size() == politePings);
            } finally {
                pacer.shutdownNow();
                pacer.awaitTermination(5, TimeUnit.SECONDS);
            }
            assertThat(polite.framesOfType("error")).as("a client within the limit is never refused").isEmpty();
            assertThat(polite.isOpen()).isTrue();
        }
    }

    private static void assertPingAnswered(TestClient client) {
        int pongs = client.framesOfType("pong").size();
        client.send(PING);
        client.awaitType("pong", pongs + 1);
    }

    /** The value of {@code swarmcast_clients_closed_total{reason="..."}} as /actuator/prometheus exports it. */
    private double prometheusClosedCount(String reason) {
        Http.Response response = Http.get(port, "/actuator/prometheus");
        assertThat(response.status()).isEqualTo(200);
        Matcher matcher = Pattern.compile("(?m)^swarmcast_clients_closed_total\\{[^}]*reason=\"" + reason + "\"[^}]*} (\\S+)$")
                .matcher(response.body());
        assertThat(matcher.find()).as("metric with reason %s in:%n%s", reason, response.body()).isTrue();
        return Double.parseDouble(matcher.group(1));
    }
}
