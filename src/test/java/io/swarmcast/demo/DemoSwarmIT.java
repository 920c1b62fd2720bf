package io.swarmcast.demo;

import io.swarmcast.support.Http;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo swarm, running in a real server with a quick tick, seen by a real WebSocket client. The context is
 * closed afterwards, so the demo does not keep playing while later test classes run.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"swarmcast.demo.enabled=true", "swarmcast.demo.tick=50ms"})
class DemoSwarmIT {

    private static final Set<String> EVERY_TYPE = Set.of("agent:status", "task:update", "message:sent",
            "memory:operation", "topology:change", "metrics:update");

    @LocalServerPort
    int port;

    @Test
    void aClientSubscribedToEverythingSeesEveryEventTypeLiveAndTasksComplete() {
        try (TestClient client = TestClient.connectWelcomed(port)) {
            client.sendJson(Map.of("type", "subscribe", "channel", "*"));
            client.awaitType("subscribed");

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(live(client).stream().map(f -> f.path("type").asString()).collect(Collectors.toSet()))
                            .containsAll(EVERY_TYPE));
            await().atMost(Duration.ofSeconds(60)).until(() -> live(client).stream().anyMatch(f ->
                    "task:update".equals(f.path("type").asString()) && "completed".equals(f.path("status").asString())));
        }
    }

    @Test
    void theSwarmLivesInTheServicesAsACoordinatorAndSixWorkers() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode agents = Http.get(port, "/api/agents").json();
            assertThat(agents).hasSize(7);
            assertThat(agents.get(0).path("id").asString()).isEqualTo("coordinator-iris");
            assertThat(agents.valueStream().map(a -> a.path("type").asString()).distinct().count()).isGreaterThanOrEqualTo(5);
        });
        JsonNode swarm = Http.get(port, "/api/swarm").json();
        assertThat(swarm.path("coordinatorId").asString()).isEqualTo("coordinator-iris");
        assertThat(swarm.path("nodes")).hasSize(7);
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(port, "/api/tasks").json().size() > 0);
    }

    /** Frames that happened after subscribing: events without {@code snapshot: true}. */
    private static List<JsonNode> live(TestClient client) {
        return client.frames().stream()
                .filter(f -> f.has("event") && !f.path("snapshot").asBoolean(false))
                .toList();
    }
}
