package io.swarmcast.ingest;

import io.swarmcast.support.Http;
import io.swarmcast.support.Rest;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fields the Claude Flow dashboard reads beyond the basic view (docs/protocol.md section 7.5), sent for
 * events that went through the services; and the status rule of section 7.6a: an agent's status is what a
 * client said last, while one only ever changed by the server's task flow keeps the inferred busy/idle.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DashboardFieldsIT {

    @LocalServerPort
    int port;

    private TestClient client;

    @BeforeEach
    void connect() {
        client = TestClient.connectWelcomed(port);
        client.subscribe("agents", "messages", "memory");
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    private void post(String json) {
        Rest.expect(Http.post(port, "/api/events", json), 202);
    }

    private JsonNode agentFrame(String id, int tasksCompleted) {
        return client.awaitFrame(frame -> id.equals(frame.path("agentId").asString())
                && frame.path("data").path("metrics").path("tasksCompleted").asInt() == tasksCompleted
                && !frame.path("snapshot").asBoolean(false));
    }

    @Test
    void aReportedActiveAgentStaysActiveThroughATaskAndItsCardCountsTheTask() {
        String agentId = Rest.unique("reported");
        String taskId = Rest.unique("task");
        post("{\"type\":\"agent:status\",\"agentId\":\"" + agentId + "\",\"name\":\"Reporter\",\"agentType\":\"coder\",\"status\":\"active\"}");
        JsonNode registered = client.awaitFrame(frame -> agentId.equals(frame.path("agentId").asString()));
        assertThat(registered.path("data").path("currentTaskCount").asInt()).isZero();

        post("{\"type\":\"task:update\",\"taskId\":\"" + taskId + "\",\"status\":\"running\",\"agentId\":\"" + agentId + "\"}");
        JsonNode working = client.awaitFrame(frame -> agentId.equals(frame.path("agentId").asString())
                && taskId.equals(frame.path("task").asString()));
        assertThat(working.path("status").asString()).as("the producer said active").isEqualTo("active");
        assertThat(working.path("data").path("status").asString()).isEqualTo("active");
        assertThat(working.path("data").path("currentTask").asString()).isEqualTo(taskId);
        assertThat(working.path("data").path("currentTaskCount").asInt()).isEqualTo(1);
        assertThat(Http.get(port, "/api/agents/" + agentId).json().path("status").asString()).isEqualTo("active");

        post("{\"type\":\"task:update\",\"taskId\":\"" + taskId + "\",\"status\":\"completed\"}");
        JsonNode done = agentFrame(agentId, 1);
        assertThat(done.path("status").asString()).isEqualTo("active");
        assertThat(done.has("task")).isFalse();
        assertThat(done.path("data").path("currentTaskCount").asInt()).isZero();
        JsonNode agent = Http.get(port, "/api/agents/" + agentId).json();
        assertThat(agent.path("status").asString()).isEqualTo("active");
        assertThat(agent.path("currentTask").isNull() || agent.path("currentTask").isMissingNode()).isTrue();
        assertThat(agent.path("metrics").path("tasksCompleted").asLong()).isEqualTo(1);

        // The producer's next word is the status again, whatever the tasks did.
        post("{\"type\":\"agent:status\",\"agentId\":\"" + agentId + "\",\"status\":\"idle\"}");
        assertThat(Http.get(port, "/api/agents/" + agentId).json().path("status").asString()).isEqualTo("idle");
    }

    @Test
    void anAgentOnlyTheServersTaskFlowChangedIsBusyThenIdle() {
        String agentId = Rest.spawnAgent(port, Rest.unique("inferred"), "Inferred", "tester");
        String taskId = Rest.unique("task");

        post("{\"type\":\"task:update\",\"taskId\":\"" + taskId + "\",\"status\":\"running\",\"agentId\":\"" + agentId + "\"}");
        JsonNode busy = client.awaitFrame(frame -> agentId.equals(frame.path("agentId").asString())
                && taskId.equals(frame.path("task").asString()));
        assertThat(busy.path("status").asString()).isEqualTo("busy");
        assertThat(busy.path("data").path("currentTaskCount").asInt()).isEqualTo(1);

        post("{\"type\":\"task:update\",\"taskId\":\"" + taskId + "\",\"status\":\"failed\",\"error\":\"boom\"}");
        JsonNode idle = client.awaitFrame(frame -> agentId.equals(frame.path("agentId").asString())
                && frame.path("data").path("metrics").path("tasksFailed").asInt() == 1);
        assertThat(idle.path("status").asString()).isEqualTo("idle");
        assertThat(idle.path("data").path("currentTaskCount").asInt()).isZero();
    }

    @Test
    void aPatchNamingAStatusMakesItTheClientsWord() {
        String agentId = Rest.spawnAgent(port, Rest.unique("patched"), "Patched", "coder");
        Rest.expect(Rest.patch(port, "/api/agents/" + agentId, Rest.object("status", "active")), 200);
        String taskId = Rest.unique("task");

        post("{\"type\":\"task:update\",\"taskId\":\"" + taskId + "\",\"status\":\"running\",\"agentId\":\"" + agentId + "\"}");
        post("{\"type\":\"task:update\",\"taskId\":\"" + taskId + "\",\"status\":\"completed\"}");

        JsonNode done = agentFrame(agentId, 1);
        assertThat(done.path("status").asString()).isEqualTo("active");
    }

    @Test
    void aMessageFrameCarriesThePostedSizeAsMetadataSize() {
        String id = Rest.unique("msg");
        post("{\"type\":\"message:sent\",\"messageId\":\"" + id + "\",\"source\":\"a\",\"target\":\"b\","
                + "\"messageType\":\"task\",\"payload\":\"hi\",\"size\":4096}");

        JsonNode frame = client.awaitFrame(f -> id.equals(f.path("messageId").asString()));
        assertThat(frame.path("size").asLong()).isEqualTo(4096);
        assertThat(frame.path("data").path("content").asString()).isEqualTo("hi");
        assertThat(frame.path("data").path("metadata").path("size").asLong()).isEqualTo(4096);
    }

    @Test
    void retrievesCarryTheCacheHitTheDashboardsHitRateCounts() {
        String ns = Rest.unique("ns");
        String path = "/api/memory/" + ns + "/k";
        Rest.expect(Rest.put(port, path, "{\"v\":1}"), 201);
        Rest.expect(Http.get(port, path), 200);
        Rest.expect(Http.get(port, path), 200);
        post("{\"type\":\"memory:operation\",\"operation\":\"retrieve\",\"namespace\":\"" + ns
                + "\",\"key\":\"reported\",\"cacheHit\":true,\"latency\":0.3}");

        JsonNode miss = client.awaitFrame(f -> ns.equals(f.path("namespace").asString())
                && "retrieve".equals(f.path("operation").asString()) && f.path("data").has("cacheHit"));
        assertThat(miss.path("data").path("cacheHit").asBoolean()).isFalse();
        client.awaitFrame(f -> ns.equals(f.path("namespace").asString()) && "k".equals(f.path("key").asString())
                && f.path("data").path("cacheHit").asBoolean(false));
        JsonNode reported = client.awaitFrame(f -> ns.equals(f.path("namespace").asString())
                && "reported".equals(f.path("key").asString()));
        assertThat(reported.path("data").path("cacheHit").asBoolean()).isTrue();
        assertThat(reported.path("data").path("success").asBoolean()).isTrue();
    }
}
