package io.swarmcast.trace;

import io.swarmcast.support.Http;
import io.swarmcast.support.Rest;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;

import static io.swarmcast.support.ProtocolFixtures.agent;
import static io.swarmcast.support.ProtocolFixtures.awaitSeq;
import static io.swarmcast.support.ProtocolFixtures.memory;
import static io.swarmcast.support.ProtocolFixtures.message;
import static io.swarmcast.support.ProtocolFixtures.object;
import static io.swarmcast.support.ProtocolFixtures.publish;
import static io.swarmcast.support.ProtocolFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Causal links end to end (docs/protocol.md 7.12): producers post {@code traceId}/{@code parentId} on both ingest
 * endpoints and the command API, WebSocket clients receive them, {@code GET /api/trace/{traceId}} returns the chain in
 * seq order, and every bad id, limit or unknown trace gets its documented 400 or 404.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TraceIT {

    @LocalServerPort
    int port;

    private TestClient client;

    @BeforeEach
    void connect() {
        client = TestClient.connectWelcomed(port);
        client.subscribe("agents", "tasks", "messages", "memory", "topology");
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    private static ObjectNode traced(ObjectNode event, String traceId, String parentId) {
        if (traceId != null) {
            event.put("traceId", traceId);
        }
        if (parentId != null) {
            event.put("parentId", parentId);
        }
        return event;
    }

    private JsonNode trace(String traceId) {
        Http.Response response = Http.get(port, "/api/trace/" + traceId);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private static List<Long> seqsOf(JsonNode answer) {
        List<Long> seqs = new ArrayList<>();
        answer.path("events").forEach(frame -> seqs.add(frame.path("seq").asLong()));
        return seqs;
    }

    @Test
    void aTracePostedToApiEventsReachesClientsAndComesBackInOrder() {
        String traceId = Rest.unique("task");
        String agentId = Rest.unique("coder");
        String messageId = Rest.unique("msg");
        List<Long> seqs = publish(port,
                traced(message(messageId, "please do it").put("source", "lead").put("target", agentId), traceId, null),
                traced(agent(agentId, "busy"), traceId, messageId),
                traced(task(traceId, "running").put("agentId", agentId), traceId, messageId),
                traced(memory("notes", Rest.unique("k")), traceId, traceId),
                agent(Rest.unique("bystander"), "idle"));

        JsonNode messageFrame = awaitSeq(client, seqs.get(0));
        assertThat(messageFrame.path("traceId").asString()).isEqualTo(traceId);
        assertThat(messageFrame.has("parentId")).as("it started the trace: no parent").isFalse();
        JsonNode agentFrame = awaitSeq(client, seqs.get(1));
        assertThat(agentFrame.path("traceId").asString()).isEqualTo(traceId);
        assertThat(agentFrame.path("parentId").asString()).isEqualTo(messageId);
        assertThat(awaitSeq(client, seqs.get(3)).path("parentId").asString()).isEqualTo(traceId);
        JsonNode bystander = awaitSeq(client, seqs.get(4));
        assertThat(bystander.has("traceId") || bystander.has("parentId")).as("no link, no fields").isFalse();

        JsonNode answer = trace(traceId);
        assertThat(answer.path("traceId").asString()).isEqualTo(traceId);
        assertThat(answer.path("complete").asBoolean()).isTrue();
        List<Long> traced = seqsOf(answer);
        assertThat(traced).as("every posted event of the trace, in seq order").containsAll(seqs.subList(0, 4)).isSorted()
                .doesNotContain(seqs.get(4));
        assertThat(answer.path("count").asInt()).isEqualTo(traced.size());
        assertThat(answer.path("fromSeq").asLong()).isEqualTo(traced.get(0));
        assertThat(answer.path("toSeq").asLong()).isEqualTo(traced.get(traced.size() - 1));
        assertThat(answer.path("epoch").asString()).isNotBlank();
        for (JsonNode frame : answer.path("events")) {
            assertThat(frame.path("traceId").asString()).isEqualTo(traceId);
            JsonNode live = awaitSeq(client, frame.path("seq").asLong());
            assertThat(frame).as("the answer holds the frames clients received").isEqualTo(live);
        }
    }

    @Test
    void eventsAChangeCausesOnTheServerJoinItsTrace() {
        String traceId = Rest.unique("trace");
        String agentId = Rest.unique("worker");
        publish(port, agent(agentId, "idle"));
        // A task reported running for an agent makes it the agent's current task: the server raises the agent's
        // agent:status itself. That status change was caused by the traced event, so it is in the trace.
        long taskSeq = publish(port, traced(task(Rest.unique("t"), "running").put("agentId", agentId), traceId, "m-1")).get(0);
        awaitSeq(client, taskSeq);

        JsonNode answer = trace(traceId);
        List<String> types = new ArrayList<>();
        answer.path("events").forEach(frame -> types.add(frame.path("type").asString()));
        assertThat(types).contains("task:update", "agent:status");
        answer.path("events").forEach(frame -> assertThat(frame.path("parentId").asString()).isEqualTo("m-1"));
    }

    @Test
    void theClaudeFlowEndpointTakesTheLinkFromTheEventOrTheBody() {
        String traceId = Rest.unique("cf");
        ObjectNode inEvent = object().put("channel", "tasks").put("type", "task:created");
        inEvent.putObject("event").put("id", Rest.unique("t")).put("description", "d").put("traceId", traceId)
                .put("parentId", "msg-1");
        Http.Response first = Http.post(port, "/event", inEvent.toString());
        assertThat(first.status()).as(first.body()).isEqualTo(202);

        ObjectNode inBody = object().put("channel", "agents").put("type", "agent:spawned").put("traceId", traceId);
        inBody.putObject("event").put("id", Rest.unique("a"));
        Http.Response second = Http.post(port, "/event", inBody.toString());
        assertThat(second.status()).as(second.body()).isEqualTo(202);

        ObjectNode passThrough = object().put("channel", "topology").put("type", "consensus");
        passThrough.putObject("event").put("round", 3).put("traceId", traceId).put("parentId", "vote-2");
        Http.Response third = Http.post(port, "/event", passThrough.toString());
        assertThat(third.status()).as(third.body()).isEqualTo(202);
        long passSeq = third.json().path("seqs").get(0).asLong();

        JsonNode passFrame = awaitSeq(client, passSeq);
        assertThat(passFrame.path("traceId").asString()).isEqualTo(traceId);
        assertThat(passFrame.path("parentId").asString()).isEqualTo("vote-2");
        assertThat(passFrame.path("data").path("round").asInt()).as("data untouched").isEqualTo(3);

        JsonNode answer = trace(traceId);
        List<Long> seqs = seqsOf(answer);
        assertThat(seqs).contains(first.json().path("seqs").get(0).asLong(), second.json().path("seqs").get(0).asLong(),
                passSeq).isSorted();
        assertThat(answer.path("events").get(0).path("parentId").asString()).isEqualTo("msg-1");
    }

    @Test
    void commandsTakeTheLinkFromHeaders() {
        String traceId = Rest.unique("cmd");
        String taskId = Rest.unique("task");
        Http.Response created = Http.send(Http.request(port, "/api/tasks")
                .header("Content-Type", "application/json").header("X-Trace-Id", traceId).header("X-Parent-Id", "req-1")
                .POST(HttpRequest.BodyPublishers.ofString(object().put("id", taskId).put("description", "d").toString()))
                .build());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Http.Response stored = Http.send(Http.request(port, "/api/memory/notes/" + Rest.unique("k"))
                .header("Content-Type", "application/json").header("X-Trace-Id", traceId)
                .PUT(HttpRequest.BodyPublishers.ofString("\"v\"")).build());
        assertThat(stored.status()).as(stored.body()).isBetween(200, 201);

        JsonNode answer = trace(traceId);
        List<String> types = new ArrayList<>();
        answer.path("events").forEach(frame -> types.add(frame.path("type").asString()));
        assertThat(types).containsExactly("task:update", "memory:operation");
        assertThat(answer.path("events").get(0).path("parentId").asString()).isEqualTo("req-1");
        assertThat(answer.path("events").get(1).has("parentId")).isFalse();

        // The scope ends with the request: the next command without headers carries nothing.
        String untraced = Rest.createTask(port, Rest.unique("plain"), "d");
        JsonNode frame = client.awaitFrame(f -> untraced.equals(f.path("taskId").asString()));
        assertThat(frame.has("traceId")).isFalse();
    }

    @Test
    void aMalformedHeaderIsRefusedBeforeAnythingIsApplied() {
        String taskId = Rest.unique("refused");
        Http.Response refused = Http.send(Http.request(port, "/api/tasks")
                .header("Content-Type", "application/json").header("X-Trace-Id", "not valid")
                .POST(HttpRequest.BodyPublishers.ofString(object().put("id", taskId).put("description", "d").toString()))
                .build());
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("code").asString()).isEqualTo("invalid_field");
        assertThat(refused.json().path("field").asString()).isEqualTo("X-Trace-Id");
        assertThat(Http.get(port, "/api/tasks/" + taskId).status()).as("nothing applied").isEqualTo(404);
    }

    @Test
    void malformedIdsAreRefusedOnBothIngestEndpointsNamingTheField() {
        String tooLong = "t".repeat(129);
        Http.Response typed = Http.post(port, "/api/events",
                "[" + agent("ok", "idle") + "," + traced(agent("x", "idle"), tooLong, null) + "]");
        assertThat(typed.status()).isEqualTo(400);
        assertThat(typed.json().path("code").asString()).isEqualTo("invalid_field");
        assertThat(typed.json().path("field").asString()).isEqualTo("traceId");
        assertThat(typed.json().path("index").asInt()).isEqualTo(1);

        Http.Response parent = Http.post(port, "/api/events", agent("x", "idle").put("parentId", 17).toString());
        assertThat(parent.status()).isEqualTo(400);
        assertThat(parent.json().path("field").asString()).isEqualTo("parentId");

        ObjectNode claudeFlow = object().put("channel", "agents").put("type", "agent:status");
        claudeFlow.putObject("event").put("agentId", "x").put("status", "idle").put("traceId", "a b");
        Http.Response event = Http.post(port, "/event", claudeFlow.toString());
        assertThat(event.status()).isEqualTo(400);
        assertThat(event.json().path("field").asString()).isEqualTo("event.traceId");

        ObjectNode passThrough = object().put("channel", "topology").put("type", "consensus").put("parentId", "a/b");
        passThrough.putObject("event").put("round", 1);
        Http.Response pass = Http.post(port, "/event", passThrough.toString());
        assertThat(pass.status()).isEqualTo(400);
        assertThat(pass.json().path("code").asString()).isEqualTo("invalid_field");
        assertThat(pass.json().path("field").asString()).isEqualTo("parentId");
    }

    @Test
    void aParentIdAloneIsKeptButFormsNoTrace() {
        String parentId = Rest.unique("lonely");
        long seq = publish(port, traced(agent(Rest.unique("a"), "idle"), null, parentId)).get(0);
        JsonNode frame = awaitSeq(client, seq);
        assertThat(frame.path("parentId").asString()).isEqualTo(parentId);
        assertThat(frame.has("traceId")).isFalse();
        assertThat(Http.get(port, "/api/trace/" + parentId).status()).as("traceId groups; parentId only links").isEqualTo(404);
    }

    @Test
    void theTraceEndpointPagesAndRefusesWhatIsOutOfBounds() {
        String traceId = Rest.unique("paged");
        List<JsonNode> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(traced(agent(Rest.unique("p" + i), "idle"), traceId, null));
        }
        List<Long> seqs = publish(port, events);

        JsonNode page = Http.get(port, "/api/trace/" + traceId + "?limit=2").json();
        assertThat(seqsOf(page)).containsExactlyElementsOf(seqs.subList(0, 2));
        assertThat(page.path("complete").asBoolean()).as("the limit cut it").isFalse();
        JsonNode rest = Http.get(port, "/api/trace/" + traceId + "?afterSeq=" + page.path("toSeq").asLong()).json();
        assertThat(seqsOf(rest)).containsExactlyElementsOf(seqs.subList(2, 5));
        assertThat(rest.path("complete").asBoolean()).isTrue();
        JsonNode past = Http.get(port, "/api/trace/" + traceId + "?afterSeq=" + seqs.get(4)).json();
        assertThat(past.path("count").asInt()).isZero();
        assertThat(past.has("fromSeq")).isFalse();

        assertRefused("/api/trace/" + traceId + "?limit=0", 400, "limit");
        assertRefused("/api/trace/" + traceId + "?limit=10001", 400, "limit");
        assertRefused("/api/trace/" + traceId + "?afterSeq=-1", 400, "afterSeq");
        assertRefused("/api/trace/has%20space", 400, "traceId");
        assertRefused("/api/trace/" + "x".repeat(129), 400, "traceId");
        assertRefused("/api/trace/" + Rest.unique("never"), 404, "traceId");
        assertThat(Http.get(port, "/api/trace/" + traceId + "?limit=10000").status()).as("the max itself").isEqualTo(200);
    }

    private void assertRefused(String path, int status, String field) {
        Http.Response response = Http.get(port, path);
        assertThat(response.status()).as(path + ": " + response.body()).isEqualTo(status);
        assertThat(response.json().path("code").asString()).isEqualTo(status == 404 ? "not_found" : "invalid_field");
        assertThat(response.json().path("field").asString()).isEqualTo(field);
    }
}
