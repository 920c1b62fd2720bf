package io.swarmcast.log.redis;

import io.swarmcast.support.TestClient;
import io.swarmcast.support.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code metrics:update}'s {@code connectedClients} with several instances on one Redis: each instance reports the
 * total over the instances alive, it drops when one stops, and a Redis outage leaves metrics running on the
 * instance's own count. (The count of an instance killed with SIGKILL expiring: {@link InstanceKilledIT}.)
 */
class ClientCountIT {

    /** An upper bound for a busy machine; each count changes within a tick or two (the 5 s expiry: unit-tested). */
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String METRICS_ON = "--swarmcast.metrics-enabled=true";

    private TestRedis redis;

    @BeforeEach
    void startRedis() {
        redis = TestRedis.start();
    }

    @AfterEach
    void stopRedis() {
        redis.close();
    }

    @Test
    void everyInstanceReportsTheClientsOfAllAndTheTotalDropsWhenOneStops() {
        String prefix = TestRedis.newKeyPrefix();
        try (SwarmcastInstance a = SwarmcastInstance.start(redis, prefix, "a", METRICS_ON);
             TestClient firstOnA = TestClient.connectWelcomed(a.port);
             TestClient secondOnA = TestClient.connectWelcomed(a.port)) {
            firstOnA.subscribe("metrics");
            secondOnA.subscribe("metrics");
            // Two instances with one server id (one host name): their counts must not overwrite each other.
            try (SwarmcastInstance b = SwarmcastInstance.start(redis, prefix, "a", METRICS_ON);
                 TestClient onB = TestClient.connectWelcomed(b.port)) {
                onB.subscribe("metrics");

                awaitConnectedClients(firstOnA, 3);
                awaitConnectedClients(onB, 3);
                assertThat(b.bean(io.swarmcast.server.EventServer.class).getConnectedClients())
                        .as("the instance's own count (health, the gauge) stays its own").isEqualTo(1);
            }
            // B stopped (its client with it): A's next ticks count A's two.
            awaitConnectedClients(firstOnA, 2);
        }
    }

    @Test
    void whileRedisIsDownEachInstanceReportsItsOwnClientsAndTheTotalComesBackWithRedis() {
        assumeThat(redis.controllable()).as("needs a Redis the test can stop (not REDIS_URL)").isTrue();
        String prefix = TestRedis.newKeyPrefix();
        try (SwarmcastInstance a = SwarmcastInstance.start(redis, prefix, "a", METRICS_ON);
             SwarmcastInstance b = SwarmcastInstance.start(redis, prefix, "b", METRICS_ON);
             TestClient onA = TestClient.connectWelcomed(a.port);
             TestClient onB = TestClient.connectWelcomed(b.port);
             TestClient secondOnB = TestClient.connectWelcomed(b.port)) {
            onA.subscribe("metrics");
            onB.subscribe("metrics");
            secondOnB.subscribe("metrics");
            awaitConnectedClients(onA, 3);

            redis.stop();
            awaitConnectedClients(onA, 1);
            awaitConnectedClients(onB, 2);
            int ticks = onA.framesOfType("metrics:update").size();
            await("metrics keep coming without Redis").atMost(PATIENCE)
                    .until(() -> onA.framesOfType("metrics:update").size() >= ticks + 2);

            redis.startAgain();
            awaitConnectedClients(onA, 3);
            awaitConnectedClients(onB, 3);
        }
    }

    /** Waits for a live {@code metrics:update} (not a snapshot) the client receives from now on with that count. */
    static void awaitConnectedClients(TestClient client, int expected) {
        int seen = client.framesOfType("metrics:update").size();
        await("a metrics:update with connectedClients " + expected).atMost(PATIENCE).until(() -> {
            var ticks = client.framesOfType("metrics:update");
            return ticks.subList(seen, ticks.size()).stream().filter(tick -> !tick.path("snapshot").asBoolean())
                    .map(ClientCountIT::connectedClients)
                    .anyMatch(count -> count == expected);
        });
    }

    private static int connectedClients(JsonNode metrics) {
        return metrics.path("connectedClients").asInt(-1);
    }
}
