package io.swarmcast.ingest;

import io.swarmcast.support.ChannelWatch;
import io.swarmcast.support.Http;
import io.swarmcast.support.Rest;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

import static io.swarmcast.support.Rest.object;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ingested events go through the domain services (docs/protocol.md section 5): what a producer posts shows in
 * the REST state, in a later client's snapshot, and in what was broadcast, all alike.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class IngestThroughServicesIT {

    @LocalServerPort
    int port;

    @Autowired
    CompatPort compatPort;

    @Test
    void anAgentStatusFromTheClaudeFlowCliShowsInTheAgentsAndInALaterSnapshot() {
        String id = Rest.unique("cf");
        long timestamp = System.currentTimeMillis();
        String body = "{\"channel\":\"agents\",\"type\":\"agent:status\",\"event\":{\"agentId\":\"" + id
                + "\",\"name\":\"CF One\",\"agentType\":\"coder\",\"status\":\"busy\"},\"timestamp\":" + timestamp + "}";

        Http.Response accepted = Http.post(port, "/event", body);

        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        assertThat(accepted.json().path("accepted").asInt()).isEqualTo(1);
        long seq = accepted.json().path("seqs").get(0).asLong();
        assertThat(seq).isPositive();
        JsonNode agent = Rest.expect(Http.get(port, "/api/agents/" + id), 200).json();
        assertThat(agent.path("name").asString()).isEqualTo("CF One");
        assertThat(agent.path("type").asString()).isEqualTo("coder");
        assertThat(agent.path("status").asString()).isEqualTo("busy");
        assertThat(agent.path("lastActivity").asLong()).isEqualTo(timestamp);
        assertThat(Http.get(port, "/api/agents").json().findValuesAsString("id")).contains(id);

        try (TestClient later = TestClient.connectWelcomed(port)) {
            later.subscribe("agents");
            JsonNode snapshot = later.awaitFrame(frame -> id.equals(frame.path("agentId").asString()));
            assertThat(snapshot.path("snapshot").asBoolean()).isTrue();
            assertThat(snapshot.path("status").asString()).isEqualTo("busy");
            assertThat(snapshot.path("name").asString()).isEqualTo("CF One");
            assertThat(snapshot.path("agentType").asString()).isEqualTo("coder");
            assertThat(snapshot.path("data").path("id").asString()).isEqualTo(id);
            assertThat(snapshot.path("timestamp").asLong()).isEqualTo(timestamp);
        }

        // The log holds the same event under the seq the ingest answered with.
        try (TestClient reader = TestClient.connectWelcomed(port)) {
            reader.sendJson(Map.of("type", "replay", "sinceSeq", seq - 1, "channels", List.of("agents"), "limit", 1));
            JsonNode replayed = reader.awaitType("replay").path("events").get(0);
            assertThat(replayed.path("seq").asLong()).isEqualTo(seq);
            assertThat(replayed.path("agentId").asString()).isEqualTo(id);
            assertThat(replayed.path("status").asString()).isEqualTo("busy");
        }
    }

    @Test
    void theCompatPortFeedsTheSameServices() {
        String id = Rest.unique("cf");
        int compat = compatPort.localPort().orElseThrow();

        Http.Response accepted = Http.post(compat, "/event", "{\"channel\":\"agents\",\"type\":\"agent:spawned\",\"event\":{\"id\":\""
                + id + "\",\"name\":\"Spawned\",\"type\":\"researcher\"}}");

        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        JsonNode agent = Rest.expect(Http.get(port, "/api/agents/" + id), 200).json();
        assertThat(agent.path("status").asString()).isEqualTo("spawning");
        assertThat(agent.path("type").asString()).isEqualTo("researcher");
    }

    @Test
    void aTaskUpdateForAnUnknownTaskCreatesItAtThatStatus() {
        String agentId = Rest.spawnAgent(port, Rest.unique("coder"), "Coder", "coder");
        String taskId = Rest.unique("cf-task");
        try (TestClient client = TestClient.connectWelcomed(port)) {
            client.subscribe("tasks", "agents");
            ChannelWatch tasks = new ChannelWatch(client, "tasks");
            int mark = tasks.mark();

            Http.Response accepted = Http.post(port, "/event", "{\"channel\":\"tasks\",\"type\":\"task:update\",\"event\":{\"taskId\":\""
                    + taskId + "\",\"status\":\"in_progress\",\"agentId\":\"" + agentId
                    + "\",\"description\":\"observed elsewhere\",\"progress\":60}}");

            assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
            JsonNode task = Rest.expect(Http.get(port, "/api/tasks/" + taskId), 200).json();
            assertThat(task.path("status").asString()).isEqualTo("running");
            assertThat(task.path("progress").asInt()).isEqualTo(60);
            assertThat(task.path("assignedAgent").asString()).isEqualTo(agentId);
            assertThat(task.path("startTime").asLong()).isPositive();
            JsonNode agent = Http.get(port, "/api/agents/" + agentId).json();
            assertThat(agent.path("status").asString()).isEqualTo("busy");
            assertThat(agent.path("currentTask").asString()).isEqualTo(taskId);

            JsonNode broadcast = tasks.exactlyOneSince(mark);
            assertThat(broadcast.path("seq").asLong()).isEqualTo(accepted.json().path("seqs").get(0).asLong());
            assertThat(broadcast.path("status").asString()).isEqualTo("running");
            assertThat(broadcast.path("progress").asInt()).isEqualTo(60);
            assertAgreesWithState(broadcast, taskId);

            // Lenient: a producer may report it completed without a start command; the command API would refuse.
            mark = tasks.mark();
            Rest.expect(Http.post(port, "/api/events", "{\"type\":\"task:update\",\"taskId\":\"" + taskId
                    + "\",\"status\":\"completed\"}"), 202);
            JsonNode completed = tasks.exactlyOneSince(mark);
            assertThat(completed.path("status").asString()).isEqualTo("completed");
            assertThat(completed.path("progress").asInt()).isEqualTo(100);
            assertThat(completed.path("agentId").asString()).isEqualTo(agentId);
            assertThat(Http.get(port, "/api/tasks/" + taskId).json().path("status").asString()).isEqualTo("completed");
            assertAgreesWithState(completed, taskId);
            JsonNode idle = Http.get(port, "/api/agents/" + agentId).json();
            assertThat(idle.path("status").asString()).isEqualTo("idle");
            assertThat(idle.path("metrics").path("tasksCompleted").asLong()).isEqualTo(1);
            Http.Response strict = Rest.post(port, "/api/tasks/" + taskId + "/complete", object());
            assertThat(strict.status()).isEqualTo(409);
        }
    }

    @Test
    void aCancelledTaskFromTheCliIsFailedWithTheReason() {
        String taskId = Rest.unique("cf-task");

        Rest.expect(Http.post(port, "/event", "{\"channel\":\"tasks\",\"type\":\"task:created\",\"event\":{\"id\":\""
                + taskId + "\",\"description\":\"to cancel\"}}"), 202);
        assertThat(Http.get(port, "/api/tasks/" + taskId).json().path("status").asString()).isEqualTo("pending");
        Rest.expect(Http.post(port, "/event", "{\"channel\":\"tasks\",\"type\":\"task:update\",\"event\":{\"id\":\""
                + taskId + "\",\"status\":\"cancelled\"}}"), 202);

        JsonNode task = Http.get(port, "/api/tasks/" + taskId).json();
        assertThat(task.path("status").asString()).isEqualTo("failed");
        assertThat(task.path("error").asString()).isEqualTo("cancelled");
        assertThat(task.path("description").asString()).isEqualTo("to cancel");
    }

    @Test
    void typedIngestOfAnUnknownAgentRegistersIt() {
        String id = Rest.unique("typed");
        try (TestClient client = TestClient.connectWelcomed(port)) {
            client.subscribe("agents");
            ChannelWatch agents = new ChannelWatch(client, "agents");
            int mark = agents.mark();

            Rest.expect(Http.post(port, "/api/events", "[{\"type\":\"agent:status\",\"agentId\":\"" + id
                    + "\",\"name\":\"Typed\",\"agentType\":\"tester\",\"status\":\"idle\",\"metrics\":{\"cpu\":5.5,\"memory\":64,\"messageCount\":7}}]"), 202);

            JsonNode agent = Http.get(port, "/api/agents/" + id).json();
            assertThat(agent.path("status").asString()).isEqualTo("idle");
            assertThat(agent.path("metrics").path("messageCount").asLong()).isEqualTo(7);
            JsonNode broadcast = agents.exactlyOneSince(mark);
            assertThat(broadcast.path("metrics").path("cpu").asDouble()).isEqualTo(5.5);
            JsonNode inState = null;
            for (JsonNode each : Http.get(port, "/api/state").json().path("agents")) {
                if (id.equals(each.path("id").asString())) {
                    inState = each;
                }
            }
            assertThat(inState).isNotNull();
            assertThat(inState.path("status").asString()).isEqualTo(broadcast.path("status").asString());
            assertThat(inState.path("metrics").path("cpu").asDouble()).isEqualTo(5.5);
            assertThat(inState.path("metrics").path("messageCount").asLong()).isEqualTo(7);
        }
    }

    private void assertAgreesWithState(JsonNode broadcast, String taskId) {
        JsonNode state = Rest.expect(Http.get(port, "/api/state"), 200).json();
        JsonNode inState = null;
        for (JsonNode task : state.path("tasks")) {
            if (taskId.equals(task.path("id").asString())) {
                inState = task;
            }
        }
        assertThat(inState).as("task in /api/state").isNotNull();
        assertThat(inState.path("status").asString()).isEqualTo(broadcast.path("status").asString());
        assertThat(inState.path("progress").asInt()).isEqualTo(broadcast.path("progress").asInt());
        assertThat(inState.path("assignedAgent").asString()).isEqualTo(broadcast.path("agentId").asString());
        assertThat(inState.path("description").asString()).isEqualTo(broadcast.path("description").asString());
        assertThat(state.path("seq").asLong()).isGreaterThanOrEqualTo(broadcast.path("seq").asLong());
    }
}
