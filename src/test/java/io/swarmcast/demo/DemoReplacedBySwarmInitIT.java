package io.swarmcast.demo;

import io.swarmcast.support.Http;
import io.swarmcast.support.Rest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code swarm init} while the demo plays: the new swarm replaces the demo's (its agents stopped) instead of
 * merging with it, and the demo stops stepping, so the swarm stays exactly what was asked for.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"swarmcast.demo.enabled=true", "swarmcast.demo.tick=20ms"})
class DemoReplacedBySwarmInitIT {

    @LocalServerPort
    int port;

    @Test
    void swarmInitReplacesTheDemoSwarmAndTheDemoStops() {
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(port, "/api/tasks").json().size() > 0);
        List<String> demoAgents = ids(Http.get(port, "/api/agents").json());
        assertThat(demoAgents).contains("coordinator-iris");

        JsonNode swarm = Rest.expect(Rest.post(port, "/api/swarm/init", Rest.object("topology", "mesh", "size", 4)), 201).json();
        List<String> fresh = ids(swarm.path("nodes"));
        assertThat(fresh).hasSize(4).doesNotContainAnyElementsOf(demoAgents);

        // Many demo ticks later: still the four asked for, no second coordinator, the demo's agents stopped.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode current = Http.get(port, "/api/swarm").json();
            assertThat(current.path("topology").asString()).isEqualTo("mesh");
            assertThat(ids(current.path("nodes"))).isEqualTo(fresh);
        });
        JsonNode agents = Http.get(port, "/api/agents").json();
        for (JsonNode agent : agents) {
            String id = agent.path("id").asString();
            if (demoAgents.contains(id)) {
                assertThat(agent.path("status").asString()).as(id).isEqualTo("stopped");
            }
        }
        // The demo creates no more tasks.
        int tasks = Http.get(port, "/api/tasks").json().size();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(Http.get(port, "/api/tasks").json().size()).isLessThanOrEqualTo(tasks));
    }

    private static List<String> ids(JsonNode nodes) {
        List<String> ids = new ArrayList<>();
        nodes.forEach(node -> ids.add(node.path("id").asString()));
        return ids;
    }
}
