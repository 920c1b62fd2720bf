package io.swarmcast.agent;

import io.swarmcast.support.ChannelWatch;
import io.swarmcast.support.Http;
import io.swarmcast.support.Rest;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.util.List;

import static io.swarmcast.support.Rest.object;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent manager's REST API end to end: each command changes what {@code GET} shows and raises exactly one
 * {@code agent:status} on the agents channel, in the combined frame of docs/protocol.md; bad requests change
 * nothing and raise nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AgentApiIT {

    private static final String STATUSES = "spawning, active, idle, busy, error, stopped";

    @LocalServerPort
    int port;

    private TestClient client;
    private ChannelWatch agents;

    @BeforeEach
    void subscribe() {
        client = TestClient.connectWelcomed(port);
        client.subscribe("agents");
        agents = new ChannelWatch(client, "agents");
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void spawnStoresTheAgentAndRaisesOneAgentStatus() {
        String id = Rest.unique("coder");
        int mark = agents.mark();

        Http.Response created = Rest.post(port, "/api/agents",
                object("id", id, "name", "Coder Alpha", "type", "coder", "capabilities", List.of("java", "tests")));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body()).contains("\"id\":\"" + id + "\"");
        JsonNode stored = Rest.expect(Http.get(port, "/api/agents/" + id), 200).json();
        assertThat(stored.path("name").asString()).isEqualTo("Coder Alpha");
        assertThat(stored.path("type").asString()).isEqualTo("coder");
        assertThat(stored.path("status").asString()).isEqualTo("active");
        assertThat(stored.path("capabilities").toString()).isEqualTo("[\"java\",\"tests\"]");
        assertThat(stored.path("createdAt").asLong()).isPositive();
        assertThat(ids(Rest.expect(Http.get(port, "/api/agents"), 200).json())).contains(id);

        JsonNode event = agents.exactlyOneSince(mark);
        assertThat(event.path("type").asString()).isEqualTo("agent:status");
        assertThat(event.path("event").asString()).isEqualTo("agent:status");
        assertThat(event.path("channel").asString()).isEqualTo("agents");
        assertThat(event.path("seq").asLong()).isPositive();
        assertThat(event.path("id").asString()).isEqualTo("evt-" + event.path("seq").asLong());
        assertThat(event.path("agentId").asString()).isEqualTo(id);
        assertThat(event.path("name").asString()).isEqualTo("Coder Alpha");
        assertThat(event.path("agentType").asString()).isEqualTo("coder");
        assertThat(event.path("status").asString()).isEqualTo("active");
        assertThat(event.has("task")).isFalse();
        assertThat(event.path("metrics").path("messageCount").asLong()).isZero();
        JsonNode data = event.path("data");
        assertThat(data.path("id").asString()).isEqualTo(id);
        assertThat(data.path("name").asString()).isEqualTo("Coder Alpha");
        assertThat(data.path("type").asString()).isEqualTo("coder");
        assertThat(data.path("status").asString()).isEqualTo("active");
        assertThat(data.path("createdAt").asLong()).isEqualTo(stored.path("createdAt").asLong());
        assertThat(data.path("lastActivity").asLong()).isEqualTo(stored.path("lastActivity").asLong());
        assertThat(data.path("metrics").path("tasksCompleted").asLong()).isZero();
    }

    @Test
    void spawnWithoutIdMakesOneUpFromTheType() {
        int mark = agents.mark();

        Http.Response created = Rest.post(port, "/api/agents", object("name", "Tester", "type", "tester"));

        assertThat(created.status()).isEqualTo(201);
        String id = created.json().path("id").asString();
        assertThat(id).startsWith("tester-").hasSizeGreaterThan("tester-".length());
        assertThat(created.json().path("status").asString()).isEqualTo("active");
        assertThat(Http.get(port, "/api/agents/" + id).status()).isEqualTo(200);
        assertThat(agents.exactlyOneSince(mark).path("agentId").asString()).isEqualTo(id);
    }

    @Test
    void spawnMayGiveTheFirstStatus() {
        String id = Rest.unique("idle");
        int mark = agents.mark();

        Rest.expect(Rest.post(port, "/api/agents", object("id", id, "name", "Idler", "type", "analyst", "status", "idle")), 201);

        assertThat(Http.get(port, "/api/agents/" + id).json().path("status").asString()).isEqualTo("idle");
        assertThat(agents.exactlyOneSince(mark).path("status").asString()).isEqualTo("idle");
    }

    @Test
    void patchChangesStatusTaskAndMetricsAndRaisesOneEvent() {
        String id = Rest.spawnAgent(port, Rest.unique("coder"), "Coder", "coder");
        await(id, "active");
        int mark = agents.mark();

        Http.Response patched = Rest.patch(port, "/api/agents/" + id,
                object("status", "busy", "currentTask", "task-77", "metrics", object("cpu", 42.5, "memory", 256.0)));

        assertThat(patched.status()).isEqualTo(200);
        JsonNode stored = Http.get(port, "/api/agents/" + id).json();
        assertThat(stored.path("status").asString()).isEqualTo("busy");
        assertThat(stored.path("currentTask").asString()).isEqualTo("task-77");
        assertThat(stored.path("metrics").path("cpu").asDouble()).isEqualTo(42.5);
        assertThat(stored.path("metrics").path("memory").asDouble()).isEqualTo(256.0);
        assertThat(stored.path("name").asString()).isEqualTo("Coder");

        JsonNode event = agents.exactlyOneSince(mark);
        assertThat(event.path("agentId").asString()).isEqualTo(id);
        assertThat(event.path("status").asString()).isEqualTo("busy");
        assertThat(event.path("task").asString()).isEqualTo("task-77");
        assertThat(event.path("metrics").path("cpu").asDouble()).isEqualTo(42.5);
        assertThat(event.path("metrics").path("memory").asDouble()).isEqualTo(256.0);
        assertThat(event.path("data").path("currentTask").asString()).isEqualTo("task-77");
        assertThat(event.path("data").path("metrics").path("cpuPercent").asDouble()).isEqualTo(42.5);
        assertThat(event.path("data").path("metrics").path("memoryUsageMb").asDouble()).isEqualTo(256.0);

        int cleared = agents.mark();
        Rest.expect(Rest.patch(port, "/api/agents/" + id, object("status", "idle", "currentTask", null)), 200);
        JsonNode idle = Http.get(port, "/api/agents/" + id).json();
        assertThat(idle.path("status").asString()).isEqualTo("idle");
        assertThat(idle.path("currentTask").isNull()).isTrue();
        JsonNode idleEvent = agents.exactlyOneSince(cleared);
        assertThat(idleEvent.path("status").asString()).isEqualTo("idle");
        assertThat(idleEvent.has("task")).isFalse();
        assertThat(idleEvent.path("metrics").path("cpu").asDouble()).isEqualTo(42.5);
    }

    @Test
    void deleteStopsTheAgentWhichStaysReadable() {
        String id = Rest.spawnAgent(port, Rest.unique("researcher"), "Researcher", "researcher");
        await(id, "active");
        int mark = agents.mark();

        Http.Response stopped = Rest.delete(port, "/api/agents/" + id);

        assertThat(stopped.status()).isEqualTo(200);
        assertThat(stopped.json().path("status").asString()).isEqualTo("stopped");
        assertThat(Http.get(port, "/api/agents/" + id).json().path("status").asString()).isEqualTo("stopped");
        JsonNode event = agents.exactlyOneSince(mark);
        assertThat(event.path("agentId").asString()).isEqualTo(id);
        assertThat(event.path("status").asString()).isEqualTo("stopped");

        // Stopping again changes nothing, so it says nothing.
        long seq = Rest.newestSeq(port);
        int again = agents.mark();
        assertThat(Rest.delete(port, "/api/agents/" + id).status()).isEqualTo(200);
        assertThat(Rest.newestSeq(port)).isEqualTo(seq);
        agents.noneSince(again);
    }

    @Test
    void stoppedAgentCannotBeChangedButCanBeSpawnedAgain() {
        String id = Rest.spawnAgent(port, Rest.unique("coder"), "Coder", "coder");
        Rest.expect(Rest.delete(port, "/api/agents/" + id), 200);
        await(id, "stopped");
        long seq = Rest.newestSeq(port);
        int mark = agents.mark();

        Http.Response refused = Rest.patch(port, "/api/agents/" + id, object("status", "active"));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("error").asString()).contains(id).contains("stopped");
        assertThat(Rest.newestSeq(port)).isEqualTo(seq);
        agents.noneSince(mark);

        Http.Response respawned = Rest.post(port, "/api/agents", object("id", id, "name", "Coder II", "type", "coder"));
        assertThat(respawned.status()).isEqualTo(201);
        assertThat(Http.get(port, "/api/agents/" + id).json().path("status").asString()).isEqualTo("active");
        assertThat(agents.exactlyOneSince(mark).path("name").asString()).isEqualTo("Coder II");
    }

    @Test
    void spawningARunningIdAgainIsAConflictNamingItsStatus() {
        String id = Rest.spawnAgent(port, Rest.unique("coder"), "Coder", "coder");
        await(id, "active");
        long seq = Rest.newestSeq(port);
        int mark = agents.mark();

        Http.Response refused = Rest.post(port, "/api/agents", object("id", id, "name", "Other", "type", "tester"));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("error").asString()).isEqualTo("agent '" + id + "' already exists and is active");
        assertThat(Http.get(port, "/api/agents/" + id).json().path("name").asString()).isEqualTo("Coder");
        assertThat(Rest.newestSeq(port)).isEqualTo(seq);
        agents.noneSince(mark);
    }

    @Test
    void unknownIdsAre404WithAClearMessage() {
        String id = Rest.unique("ghost");
        long seq = Rest.newestSeq(port);
        int mark = agents.mark();

        for (Http.Response response : List.of(Http.get(port, "/api/agents/" + id),
                Rest.patch(port, "/api/agents/" + id, object("status", "busy")),
                Rest.delete(port, "/api/agents/" + id))) {
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.json().path("error").asString()).isEqualTo("agent '" + id + "' not found");
        }
        assertThat(Rest.newestSeq(port)).isEqualTo(seq);
        agents.noneSince(mark);
    }

    @Test
    void invalidBodiesAre400NamingTheFieldAndChangeNothing() {
        String id = Rest.spawnAgent(port, Rest.unique("coder"), "Coder", "coder");
        await(id, "active");
        long seq = Rest.newestSeq(port);
        int mark = agents.mark();

        assertBadRequest(Rest.post(port, "/api/agents", object("type", "coder")), "name");
        assertBadRequest(Rest.post(port, "/api/agents", object("name", "  ", "type", "coder")), "name");
        assertBadRequest(Rest.post(port, "/api/agents", object("name", "No Type")), "type");
        Http.Response badSpawnStatus = Rest.post(port, "/api/agents", object("name", "X", "type", "coder", "status", "sleeping"));
        assertBadRequest(badSpawnStatus, "status");
        assertThat(badSpawnStatus.json().path("error").asString()).contains(STATUSES).contains("sleeping");
        assertThat(Http.post(port, "/api/agents", "{not json").status()).isEqualTo(400);

        Http.Response badStatus = Rest.patch(port, "/api/agents/" + id, object("status", "working"));
        assertBadRequest(badStatus, "status");
        assertThat(badStatus.json().path("error").asString()).contains(STATUSES).contains("working");
        assertBadRequest(Rest.patch(port, "/api/agents/" + id, object("metrics", object("cpu", "high"))), "cpu");
        assertBadRequest(Rest.patch(port, "/api/agents/" + id, object("metrics", 12)), "metrics");
        assertBadRequest(Rest.patch(port, "/api/agents/" + id, object("name", "")), "name");

        JsonNode unchanged = Http.get(port, "/api/agents/" + id).json();
        assertThat(unchanged.path("status").asString()).isEqualTo("active");
        assertThat(unchanged.path("name").asString()).isEqualTo("Coder");
        assertThat(Rest.newestSeq(port)).isEqualTo(seq);
        agents.noneSince(mark);
    }

    private void assertBadRequest(Http.Response response, String field) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().path("field").asString()).as(response.body()).isEqualTo(field);
        assertThat(response.json().path("error").asString()).as(response.body()).contains(field);
    }

    /** Waits until the client has seen the agent reach the status, so later marks start after the setup's events. */
    private void await(String id, String status) {
        client.awaitFrame(frame -> id.equals(frame.path("agentId").asString()) && status.equals(frame.path("status").asString())
                && !frame.has("snapshot"));
    }

    private static List<String> ids(JsonNode array) {
        List<String> ids = new java.util.ArrayList<>();
        for (JsonNode node : array) {
            ids.add(node.path("id").asString());
        }
        return ids;
    }
}
