package io.swarmcast.ingest;

import io.swarmcast.server.EventServer;
import io.swarmcast.support.Http;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static io.swarmcast.ingest.Ingest.awaitSeq;
import static io.swarmcast.ingest.Ingest.eventsAbout;
import static io.swarmcast.ingest.Ingest.seqs;
import static io.swarmcast.ingest.Ingest.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/events} (docs/protocol.md section 5) against the real server: what is accepted reaches a
 * subscribed WebSocket client with the seqs the answer gave, and what is refused is refused whole, with a
 * body that names the event and the field, and leaves no trace in the log or on the wire.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class IngestApiIT {

    private static final long MIB = 1024 * 1024;

    @LocalServerPort
    int port;

    @Autowired
    EventServer server;

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

    private static String agent(String agentId, String status) {
        return "{\"type\":\"agent:status\",\"agentId\":\"" + agentId + "\",\"name\":\"Coder\",\"agentType\":\"coder\",\"status\":\""
                + status + "\"}";
    }

    private static String task(String taskId, String status) {
        return "{\"type\":\"task:update\",\"taskId\":\"" + taskId + "\",\"status\":\"" + status + "\",\"description\":\"d\"}";
    }

    private static String array(List<String> events) {
        return events.stream().collect(Collectors.joining(",", "[", "]"));
    }

    /**
     * Posts a valid event after a refused request and waits for it: delivery is in seq order, so once it is
     * here anything the refused request had let through would be here too. Returns its seq.
     */
    private long postMarker() {
        String marker = uniqueId("marker");
        Http.Response response = Http.post(port, "/api/events", agent(marker, "idle"));
        assertThat(response.status()).isEqualTo(202);
        long seq = seqs(response).get(0);
        awaitSeq(client, seq);
        return seq;
    }

    /** Asserts the request was refused and nothing of it stored or sent: the next event gets the next seq. */
    private void assertNothingAccepted(long newestBefore, String... ids) {
        assertThat(server.newestSeq()).as("newest seq").isEqualTo(newestBefore);
        assertThat(postMarker()).as("the next accepted event follows directly").isEqualTo(newestBefore + 1);
        for (String id : ids) {
            assertThat(eventsAbout(client, id)).as("frames about %s", id).isEmpty();
        }
    }

    @Test
    void singleEventIsAcceptedWithItsSeqAndBroadcast() {
        String agentId = uniqueId("agent");
        Http.Response response = Http.post(port, "/api/events", agent(agentId, "busy"));

        assertThat(response.status()).isEqualTo(202);
        JsonNode body = response.json();
        assertThat(body.path("accepted").asInt()).isEqualTo(1);
        assertThat(body.path("seqs").size()).isEqualTo(1);
        long seq = body.path("seqs").get(0).asLong();
        assertThat(seq).isPositive();
        // "returned only once every event is in the event log"
        assertThat(server.newestSeq()).isGreaterThanOrEqualTo(seq);

        JsonNode frame = awaitSeq(client, seq);
        assertThat(frame.path("type").asString()).isEqualTo("agent:status");
        assertThat(frame.path("channel").asString()).isEqualTo("agents");
        assertThat(frame.path("id").asString()).isEqualTo("evt-" + seq);
        assertThat(frame.path("agentId").asString()).isEqualTo(agentId);
        assertThat(frame.path("status").asString()).isEqualTo("busy");
        assertThat(frame.path("data").path("id").asString()).isEqualTo(agentId);
    }

    @Test
    void batchGetsConsecutiveSeqsAndArrivesInOrder() {
        String id = uniqueId("batch");
        List<String> events = List.of(
                agent(id + "-a", "spawning"),
                task(id + "-t", "pending"),
                "{\"type\":\"message:sent\",\"messageId\":\"" + id + "-m\",\"source\":\"a\",\"target\":\"b\",\"messageType\":\"query\",\"payload\":\"hi\"}",
                "{\"type\":\"memory:operation\",\"operation\":\"store\",\"namespace\":\"ns\",\"key\":\"" + id + "-k\",\"value\":1,\"latency\":2}",
                "{\"type\":\"topology:change\",\"topology\":\"mesh\",\"nodes\":[{\"id\":\"" + id + "-n\"}],\"edges\":[]}",
                task(id + "-t", "running"));

        Http.Response response = Http.post(port, "/api/events", array(events));

        assertThat(response.status()).isEqualTo(202);
        assertThat(response.json().path("accepted").asInt()).isEqualTo(6);
        List<Long> seqs = seqs(response);
        assertThat(seqs).hasSize(6);
        assertThat(seqs).containsExactlyElementsOf(LongStream.range(seqs.get(0), seqs.get(0) + 6).boxed().toList());

        awaitSeq(client, seqs.get(5));
        List<JsonNode> received = client.events().stream().filter(Ingest.mentions(id + "-a").or(Ingest.mentions(id + "-t"))
                .or(Ingest.mentions(id + "-m")).or(Ingest.mentions(id + "-k")).or(Ingest.mentions(id + "-n"))).toList();
        assertThat(received).extracting(f -> f.path("seq").asLong()).containsExactlyElementsOf(seqs);
        assertThat(received).extracting(f -> f.path("type").asString()).containsExactly("agent:status", "task:update",
                "message:sent", "memory:operation", "topology:change", "task:update");
        assertThat(received.get(5).path("status").asString()).isEqualTo("running");
    }

    @Test
    void metricsInABatchAreDeliveredButGetNoSeq() {
        String id = uniqueId("withmetrics");
        client.subscribe("metrics");
        Http.Response response = Http.post(port, "/api/events", array(List.of(agent(id, "idle"),
                "{\"type\":\"metrics:update\",\"activeAgents\":4242,\"pendingTasks\":1,\"messagesPerSecond\":0,\"memoryOpsPerSecond\":0}",
                task(id, "pending"))));
        assertThat(response.status()).isEqualTo(202);
        List<Long> seqs = seqs(response);
        assertThat(seqs.get(1)).isZero();
        assertThat(seqs.get(2)).isEqualTo(seqs.get(0) + 1);
        JsonNode metrics = client.awaitFrame(f -> f.path("activeAgents").asInt() == 4242);
        assertThat(metrics.has("seq")).isFalse();
    }

    @Test
    void invalidBatchIsRefusedWholeNamingTheEventAndTheField() {
        String id = uniqueId("refused");
        long newestBefore = server.newestSeq();
        List<String> events = List.of(agent(id + "-0", "busy"), task(id + "-1", "pending"), agent(id + "-2", "idle"),
                task(id + "-3", "sleeping"), agent(id + "-4", "busy"));

        Http.Response response = Http.post(port, "/api/events", array(events));

        assertThat(response.status()).isEqualTo(400);
        JsonNode body = response.json();
        assertThat(body.path("index").asInt()).isEqualTo(3);
        assertThat(body.path("field").asString()).isEqualTo("status");
        assertThat(body.path("error").asString()).contains("status").contains("pending, assigned, running, completed, failed")
                .contains("sleeping");
        assertNothingAccepted(newestBefore, id + "-0", id + "-1", id + "-2", id + "-3", id + "-4");
    }

    @Test
    void singleInvalidEventHasIndexZero() {
        Http.Response response = Http.post(port, "/api/events", "{\"type\":\"agent:status\",\"status\":\"busy\"}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("index").asInt()).isZero();
        assertThat(response.json().path("field").asString()).isEqualTo("agentId");
    }

    @ParameterizedTest(name = "{0} is refused naming {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"type\":\"agent:status\",\"agentId\":7,\"status\":\"busy\"}|agentId",
            "{\"type\":\"agent:status\",\"agentId\":\"a\",\"status\":\"busy\",\"metrics\":{\"cpu\":\"high\"}}|metrics.cpu",
            "{\"type\":\"task:update\",\"taskId\":\"t\",\"status\":\"running\",\"progress\":\"50\"}|progress",
            "{\"type\":\"task:update\",\"taskId\":\"t\",\"status\":\"running\",\"startTime\":\"today\"}|startTime",
            "{\"type\":\"message:sent\",\"source\":\"a\",\"target\":[\"b\"],\"messageType\":\"task\"}|target",
            "{\"type\":\"memory:operation\",\"operation\":\"search\",\"namespace\":\"ns\",\"query\":\"q\",\"cacheHit\":\"no\"}|cacheHit",
            "{\"type\":\"topology:change\",\"topology\":\"mesh\",\"nodes\":[{\"id\":1}]}|nodes[0].id",
            "{\"type\":\"metrics:update\",\"activeAgents\":\"3\",\"pendingTasks\":0,\"messagesPerSecond\":0,\"memoryOpsPerSecond\":0}|activeAgents",
            "{\"type\":\"agent:status\",\"agentId\":\"a\",\"status\":\"busy\",\"timestamp\":\"now\"}|timestamp"})
    void wrongFieldTypesAreRefusedNamingTheField(String event, String field) {
        long newestBefore = server.newestSeq();
        Http.Response response = Http.post(port, "/api/events", "[" + agent(uniqueId("ok"), "idle") + "," + event + "]");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("field").asString()).isEqualTo(field);
        assertThat(response.json().path("index").asInt()).isEqualTo(1);
        assertThat(response.json().path("error").asString()).contains(field);
        assertThat(server.newestSeq()).isEqualTo(newestBefore);
    }

    @ParameterizedTest
    @CsvSource({"agent:spawned", "swarm", "AGENT:STATUS", "''"})
    void unknownTypeIsRefusedNamingType(String type) {
        Http.Response response = Http.post(port, "/api/events", "{\"type\":\"" + type + "\",\"agentId\":\"a\",\"status\":\"busy\"}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("field").asString()).isEqualTo("type");
        assertThat(response.json().path("error").asString()).contains("agent:status");
    }

    @Test
    void missingTypeIsRefusedNamingType() {
        Http.Response response = Http.post(port, "/api/events", "{\"agentId\":\"a\",\"status\":\"busy\"}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("field").asString()).isEqualTo("type");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"not json", "{\"type\":\"agent:status\",", "<event/>", "{\"a\":1}{"})
    void nonJsonIsRefused(String body) {
        Http.Response response = Http.post(port, "/api/events", body);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("error").asString()).containsIgnoringCase("JSON");
    }

    @Test
    void emptyBodyAndEmptyBatchAreRefused() {
        assertThat(Http.post(port, "/api/events", "").status()).isEqualTo(400);
        Http.Response empty = Http.post(port, "/api/events", "[]");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().path("error").asString()).contains("empty");
    }

    @Test
    void nonObjectInABatchIsRefusedWithItsIndex() {
        Http.Response response = Http.post(port, "/api/events", "[" + agent(uniqueId("ok"), "idle") + ",\"agent:status\"]");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("index").asInt()).isEqualTo(1);
        assertThat(response.json().path("field").asString()).isEqualTo("type");
    }

    @Test
    void batchOfExactlyTheLimitIsAccepted() {
        String id = uniqueId("thousand");
        List<String> events = IntStream.range(0, 1000).mapToObj(i -> agent(id + "-" + i, "idle")).toList();
        Http.Response response = Http.post(port, "/api/events", array(events));
        assertThat(response.status()).isEqualTo(202);
        List<Long> seqs = seqs(response);
        assertThat(seqs).hasSize(1000);
        assertThat(seqs.get(999) - seqs.get(0)).isEqualTo(999);
        JsonNode last = awaitSeq(client, seqs.get(999));
        assertThat(last.path("agentId").asString()).isEqualTo(id + "-999");
    }

    @Test
    void batchOverTheLimitIs413AndNothingIsAccepted() {
        String id = uniqueId("toomany");
        long newestBefore = server.newestSeq();
        List<String> events = IntStream.range(0, 1001).mapToObj(i -> agent(id + "-" + i, "idle")).toList();
        Http.Response response = Http.post(port, "/api/events", array(events));
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.json().path("error").asString()).contains("1000").contains("1001");
        assertNothingAccepted(newestBefore, id + "-0", id + "-1000");
    }

    /** One valid message event whose JSON body is {@code bytes} long, give or take a few bytes of envelope. */
    private static String messageOfSize(String id, long bytes) {
        String head = "{\"type\":\"message:sent\",\"messageId\":\"" + id + "\",\"source\":\"a\",\"target\":\"b\",\"messageType\":\"task\",\"payload\":\"";
        String tail = "\"}";
        return head + "x".repeat((int) (bytes - head.length() - tail.length())) + tail;
    }

    @Test
    void bodyJustUnderTheLimitIsAccepted() {
        // A body of the whole limit is a batch: one event may be at most limits.max-event-size (64 KiB).
        String id = uniqueId("big-ok");
        int events = 17;
        long eachBytes = (MIB - 2 - (events - 1)) / events;
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < events; i++) {
            long bytes = i < events - 1 ? eachBytes : MIB - 1 - body.length();
            body.append(messageOfSize(id + "-" + i, bytes)).append(i < events - 1 ? "," : "]");
        }
        assertThat(body.length()).isEqualTo(MIB);
        Http.Response response = Http.post(port, "/api/events", body.toString());
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        JsonNode frame = awaitSeq(client, seqs(response).get(0));
        // The stored event is whole; the frame cuts the payload to the value limit.
        assertThat(frame.path("truncated").asBoolean()).isTrue();
        assertThat(frame.path("size").asLong()).isGreaterThan(eachBytes - 200);
    }

    @Test
    void oneEventOverTheEventLimitIs413EvenWithinTheBodyLimit() {
        String id = uniqueId("big-event");
        long newestBefore = server.newestSeq();
        Http.Response response = Http.post(port, "/api/events", messageOfSize(id, 64 * 1024 + 1));
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.json().path("code").asString()).isEqualTo("too_large");
        assertThat(response.json().path("error").asString()).contains("max-event-size");
        assertThat(server.newestSeq()).isEqualTo(newestBefore);
    }

    @Test
    void bodyOverTheLimitWithContentLengthIs413() {
        String id = uniqueId("big-cl");
        long newestBefore = server.newestSeq();
        Http.Response response = Http.post(port, "/api/events", messageOfSize(id, MIB + 1));
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.json().path("error").asString()).contains(Long.toString(MIB));
        assertNothingAccepted(newestBefore, id);
    }

    @Test
    void chunkedBodyOverTheLimitIs413() {
        String id = uniqueId("big-chunked");
        long newestBefore = server.newestSeq();
        Http.Response response = Ingest.postChunked(port, "/api/events", messageOfSize(id, MIB + 4096));
        assertThat(response.status()).isEqualTo(413);
        assertNothingAccepted(newestBefore, id);
    }

    @Test
    void chunkedBodyUnderTheLimitIsAccepted() {
        String id = uniqueId("chunked-ok");
        Http.Response response = Ingest.postChunked(port, "/api/events", agent(id, "active"));
        assertThat(response.status()).isEqualTo(202);
        assertThat(awaitSeq(client, seqs(response).get(0)).path("agentId").asString()).isEqualTo(id);
    }

    @Test
    void acceptedEventsAreReplayable() {
        String id = uniqueId("replayable");
        Http.Response response = Http.post(port, "/api/events", array(List.of(agent(id, "busy"), task(id, "assigned"))));
        List<Long> seqs = seqs(response);
        client.sendJson(java.util.Map.of("type", "replay", "sinceSeq", seqs.get(0) - 1, "limit", 2));
        JsonNode replay = client.awaitType("replay");
        List<Long> replayed = new ArrayList<>();
        replay.path("events").forEach(e -> replayed.add(e.path("seq").asLong()));
        assertThat(replayed).containsExactlyElementsOf(seqs);
    }
}
