package io.swarmcast.ingest;

import io.swarmcast.server.EventServer;
import io.swarmcast.support.Http;
import io.swarmcast.support.TestClient;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.swarmcast.ingest.Ingest.awaitSeq;
import static io.swarmcast.ingest.Ingest.eventsAbout;
import static io.swarmcast.ingest.Ingest.seqs;
import static io.swarmcast.ingest.Ingest.uniqueId;
import static io.swarmcast.support.TestClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code POST /event}, the Claude Flow CLI's format (docs/protocol.md section 5), on the main port and on the
 * compatibility port: known types validated and broadcast, the dashboard's field names, the CLI's status
 * words and event names mapped onto the typed events, other types passed through and stored, bad requests
 * refused; and the compatibility port serving nothing else.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ClaudeFlowIngestIT {

    private static final long MIB = 1024 * 1024;

    @LocalServerPort
    int port;

    @Autowired
    CompatPort compatPort;

    @Autowired
    EventServer server;

    @Autowired
    WebServerApplicationContext context;

    private TestClient client;

    @BeforeEach
    void connect() {
        client = TestClient.connectWelcomed(port);
        client.subscribe("*");
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    private int port(String which) {
        return switch (which) {
            case "main" -> port;
            case "compat" -> compatPort.localPort().orElseThrow();
            default -> throw new IllegalArgumentException(which);
        };
    }

    private static String body(String channel, String type, String event) {
        return "{\"channel\":\"" + channel + "\",\"type\":\"" + type + "\",\"event\":" + event + ",\"timestamp\":"
                + System.currentTimeMillis() + "}";
    }

    /** Posts to {@code /event}, expects 202 with one seq, and returns the frame the subscribed client got for it. */
    private JsonNode accepted(String which, String channel, String type, String event) {
        Http.Response response = Http.post(port(which), "/event", body(channel, type, event));
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        assertThat(response.json().path("accepted").asInt()).isEqualTo(1);
        return awaitSeq(client, seqs(response).get(0));
    }

    private JsonNode accepted(String channel, String type, String event) {
        return accepted("main", channel, type, event);
    }

    /** Proves nothing of a refused request reached the log or the client: the next event gets the next seq. */
    private void assertNothingAccepted(long newestBefore, String id) {
        assertThat(server.newestSeq()).isEqualTo(newestBefore);
        String marker = uniqueId("marker");
        JsonNode frame = accepted("agents", "agent:status", "{\"agentId\":\"" + marker + "\",\"status\":\"idle\"}");
        assertThat(frame.path("seq").asLong()).isEqualTo(newestBefore + 1);
        assertThat(eventsAbout(client, id)).isEmpty();
    }

    // --- both ports -------------------------------------------------------------------------------------------

    @Test
    void compatPortIsASecondConnectorOnItsOwnRandomPort() {
        Connector[] connectors = ((TomcatWebServer) context.getWebServer()).getTomcat().getService().findConnectors();
        assertThat(connectors).hasSize(2);
        assertThat(Arrays.stream(connectors).map(Connector::getLocalPort))
                .containsExactlyInAnyOrder(port, compatPort.localPort().orElseThrow());
        assertThat(compatPort.localPort().orElseThrow()).isPositive().isNotEqualTo(port);
    }

    @ParameterizedTest
    @ValueSource(strings = {"main", "compat"})
    void knownTypeInTheSpecificationsFormIsBroadcast(String which) {
        String agentId = uniqueId("cli-agent");
        JsonNode frame = accepted(which, "agents", "agent:status",
                "{\"agentId\":\"" + agentId + "\",\"name\":\"Coder\",\"agentType\":\"coder\",\"status\":\"busy\",\"task\":\"t-1\","
                        + "\"timestamp\":1764085000000}");
        assertThat(frame.path("type").asString()).isEqualTo("agent:status");
        assertThat(frame.path("event").asString()).isEqualTo("agent:status");
        assertThat(frame.path("channel").asString()).isEqualTo("agents");
        assertThat(frame.path("agentId").asString()).isEqualTo(agentId);
        assertThat(frame.path("status").asString()).isEqualTo("busy");
        assertThat(frame.path("timestamp").asLong()).isEqualTo(1764085000000L);
        assertThat(frame.path("data").path("id").asString()).isEqualTo(agentId);
        assertThat(frame.path("data").path("currentTask").asString()).isEqualTo("t-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"main", "compat"})
    void invalidKnownTypeIsRefusedNamingTheField(String which) {
        String agentId = uniqueId("cli-bad");
        long newestBefore = server.newestSeq();
        Http.Response response = Http.post(port(which), "/event",
                body("agents", "agent:status", "{\"agentId\":\"" + agentId + "\",\"status\":\"sleeping\"}"));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("field").asString()).isEqualTo("event.status");
        assertThat(response.json().path("error").asString()).contains("spawning, active, idle, busy, error, stopped");
        assertNothingAccepted(newestBefore, agentId);
    }

    @ParameterizedTest(name = "{0} on {1} via {2}")
    @CsvSource({"swarm,topology,main", "consensus,agents,compat", "agent:custom-thing,agents,main", "task:custom,tasks,compat",
            "swarm,memory,compat", "consensus,messages,main"})
    void unknownTypesPassThroughUntouchedAndAreStored(String type, String channel, String which) {
        String id = uniqueId("pass");
        ObjectNode event = JSON.createObjectNode().put("swarmId", id).put("round", 3).put("status", "not-a-status-word");
        event.putObject("votes").put("a1", "yes");
        event.putArray("members").add("a1").add("a2");
        long timestamp = 1_764_085_123_456L;
        Http.Response response = Http.post(port(which), "/event", JSON.writeValueAsString(
                Map.of("channel", channel, "type", type, "event", event, "timestamp", timestamp)));
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        long seq = seqs(response).get(0);
        assertThat(seq).as("pass-through events are durable, whatever channel they name").isPositive();

        JsonNode frame = awaitSeq(client, seq);
        assertThat(frame.path("type").asString()).isEqualTo(type);
        assertThat(frame.path("event").asString()).isEqualTo(type);
        assertThat(frame.path("channel").asString()).isEqualTo(channel);
        assertThat(frame.path("timestamp").asLong()).isEqualTo(timestamp);
        assertThat(frame.path("data")).isEqualTo(event);
        List<String> names = new ArrayList<>(frame.propertyNames());
        assertThat(names).containsExactlyInAnyOrder("type", "event", "channel", "seq", "id", "timestamp", "data");

        // Count the answers before asking, or an answer that comes back fast is taken for an older one.
        int repliesBefore = client.framesOfType("replay").size();
        client.sendJson(Map.of("type", "replay", "sinceSeq", seq - 1, "channels", List.of(channel), "limit", 1));
        JsonNode replay = client.awaitType("replay", repliesBefore + 1);
        assertThat(replay.path("events").size()).isEqualTo(1);
        JsonNode replayed = replay.path("events").get(0);
        assertThat(replayed.path("seq").asLong()).isEqualTo(seq);
        assertThat(replayed.path("type").asString()).isEqualTo(type);
        assertThat(replayed.path("data")).isEqualTo(event);
    }

    @Test
    void passThroughOnTheMetricsChannelIsEphemeralLikeEverythingThere() {
        String id = uniqueId("pass-metrics");
        Http.Response response = Http.post(port("compat"), "/event", body("metrics", "swarm", "{\"id\":\"" + id + "\"}"));
        assertThat(response.status()).isEqualTo(202);
        assertThat(seqs(response)).containsExactly(0L);
        JsonNode frame = client.awaitFrame(Ingest.mentions(id));
        assertThat(frame.path("type").asString()).isEqualTo("swarm");
        assertThat(frame.path("channel").asString()).isEqualTo("metrics");
        assertThat(frame.has("seq")).isFalse();
        assertThat(frame.path("data").path("id").asString()).isEqualTo(id);
    }

    @Test
    void passThroughWithoutAnEventBodyCarriesAnEmptyObject() {
        Http.Response response = Http.post(port, "/event", "{\"channel\":\"topology\",\"type\":\"swarm:heartbeat\"}");
        assertThat(response.status()).isEqualTo(202);
        JsonNode frame = awaitSeq(client, seqs(response).get(0));
        assertThat(frame.path("data").isObject()).isTrue();
        assertThat(frame.path("data").isEmpty()).isTrue();
        assertThat(frame.path("timestamp").asLong()).isPositive();
    }

    @ParameterizedTest(name = "{0} via {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"type\":\"swarm\",\"event\":{}}|main|channel",
            "{\"channel\":\"agent\",\"type\":\"swarm\",\"event\":{}}|compat|channel",
            "{\"channel\":\"AGENTS\",\"type\":\"agent:status\",\"event\":{\"agentId\":\"a\",\"status\":\"busy\"}}|main|channel",
            "{\"channel\":7,\"type\":\"swarm\",\"event\":{}}|compat|channel",
            "{\"channel\":\"agents\",\"event\":{}}|main|type",
            "{\"channel\":\"agents\",\"type\":\"\",\"event\":{}}|compat|type",
            "{\"channel\":\"agents\",\"type\":\"swarm\",\"event\":\"text\"}|main|event",
            "{\"channel\":\"agents\",\"type\":\"swarm\",\"event\":[1]}|compat|event"})
    void badEnvelopeIsRefusedNamingTheField(String body, String which, String field) {
        long newestBefore = server.newestSeq();
        Http.Response response = Http.post(port(which), "/event", body);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("field").asString()).isEqualTo(field);
        assertThat(server.newestSeq()).isEqualTo(newestBefore);
    }

    @Test
    void unknownChannelMessageListsTheChannels() {
        Http.Response response = Http.post(port, "/event", "{\"channel\":\"swarm\",\"type\":\"swarm\",\"event\":{}}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("error").asString()).contains("'swarm'")
                .contains("agents, tasks, messages, memory, topology, metrics");
    }

    @ParameterizedTest
    @ValueSource(strings = {"main", "compat"})
    void nonJsonIsRefused(String which) {
        Http.Response response = Http.post(port(which), "/event", "channel=agents&type=swarm");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("error").asString()).containsIgnoringCase("JSON");
        assertThat(Http.post(port(which), "/event", "[]").status()).as("an array is not an envelope").isEqualTo(400);
    }

    private static String passThroughOfSize(String id, long bytes) {
        String head = "{\"channel\":\"agents\",\"type\":\"swarm\",\"event\":{\"id\":\"" + id + "\",\"blob\":\"";
        String tail = "\"}}";
        return head + "x".repeat((int) (bytes - head.length() - tail.length())) + tail;
    }

    @ParameterizedTest
    @ValueSource(strings = {"main", "compat"})
    void bodyOverTheLimitIs413(String which) {
        String id = uniqueId("big");
        long newestBefore = server.newestSeq();
        assertThat(Http.post(port(which), "/event", passThroughOfSize(id, MIB + 1)).status()).isEqualTo(413);
        assertThat(Ingest.postChunked(port(which), "/event", passThroughOfSize(id, MIB + 4096)).status()).isEqualTo(413);
        assertNothingAccepted(newestBefore, id);
    }

    @Test
    void bodyAtTheLimitIsAccepted() {
        // The event object may be at most limits.max-event-size (64 KiB); the rest of the envelope fills the body.
        String id = uniqueId("big-ok");
        String head = "{\"channel\":\"agents\",\"type\":\"swarm\",\"event\":{\"id\":\"" + id + "\",\"blob\":\""
                + "x".repeat(60_000) + "\"},\"padding\":\"";
        String body = head + "y".repeat((int) (MIB - head.length() - 2)) + "\"}";
        assertThat(body.length()).isEqualTo(MIB);
        Http.Response response = Http.post(port(("compat")), "/event", body);
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        assertThat(awaitSeq(client, seqs(response).get(0)).path("data").path("id").asString()).isEqualTo(id);
    }

    // --- the compatibility port serves POST /event and nothing else --------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"/", "/ws", "/actuator/health", "/actuator/prometheus", "/api/state", "/index.html", "/event/x"})
    void compatPortAnswers404ForAnythingButEvent(String path) {
        int compat = port("compat");
        assertThat(Http.get(compat, path).status()).isEqualTo(404);
        assertThat(Http.get(port, "/actuator/health").status()).as("the main port serves it").isEqualTo(200);
    }

    @Test
    void compatPortDoesNotTakeTypedIngest() {
        String agentId = uniqueId("typed-on-compat");
        long newestBefore = server.newestSeq();
        Http.Response response = Http.post(port("compat"), "/api/events",
                "{\"type\":\"agent:status\",\"agentId\":\"" + agentId + "\",\"status\":\"busy\"}");
        assertThat(response.status()).isEqualTo(404);
        assertNothingAccepted(newestBefore, agentId);
    }

    @Test
    void compatPortRefusesWebSockets() {
        int compat = port("compat");
        assertThatThrownBy(() -> TestClient.connect(compat)).hasStackTraceContaining("404");
        TestClient.connect(port).close();
    }

    // --- dashboard names, CLI status words and event names -------------------------------------------------------

    @Test
    void agentDashboardNamesAreMapped() {
        String id = uniqueId("dash-agent");
        JsonNode frame = accepted("agents", "agent:status", "{\"id\":\"" + id + "\",\"name\":\"R\",\"type\":\"researcher\","
                + "\"status\":\"active\",\"currentTask\":\"t-9\",\"metrics\":{\"cpuPercent\":5.5,\"memoryUsageMb\":64,"
                + "\"tasksCompleted\":2}}");
        assertThat(frame.path("type").asString()).isEqualTo("agent:status");
        assertThat(frame.path("agentId").asString()).isEqualTo(id);
        assertThat(frame.path("agentType").asString()).isEqualTo("researcher");
        assertThat(frame.path("task").asString()).isEqualTo("t-9");
        assertThat(frame.path("metrics").path("cpu").asDouble()).isEqualTo(5.5);
        assertThat(frame.path("metrics").path("memory").asDouble()).isEqualTo(64.0);
        assertThat(frame.path("data").path("id").asString()).isEqualTo(id);
        assertThat(frame.path("data").path("type").asString()).isEqualTo("researcher");
        assertThat(frame.path("data").path("metrics").path("tasksCompleted").asLong()).isEqualTo(2);
    }

    @Test
    void specificationNamesWinOverDashboardNames() {
        String id = uniqueId("both");
        JsonNode frame = accepted("agents", "agent:status", "{\"agentId\":\"" + id + "\",\"id\":\"other\",\"agentType\":\"coder\","
                + "\"type\":\"tester\",\"status\":\"idle\"}");
        assertThat(frame.path("agentId").asString()).isEqualTo(id);
        assertThat(frame.path("agentType").asString()).isEqualTo("coder");
    }

    @ParameterizedTest(name = "{0} with {1} means {2}")
    @CsvSource(delimiter = '|', value = {
            "agent:status|\"status\":\"terminated\"|stopped",
            "agent:spawned|\"type\":\"coder\"|spawning",
            "agent:terminated|\"name\":\"X\"|stopped",
            "agent:updated|\"status\":\"busy\"|busy",
            "agent:spawned|\"status\":\"active\"|active"})
    void agentStatusWordsAndEventNamesAreMapped(String type, String field, String status) {
        String id = uniqueId("agent-name");
        JsonNode frame = accepted("agents", type, "{\"id\":\"" + id + "\"," + field + "}");
        assertThat(frame.path("type").asString()).isEqualTo("agent:status");
        assertThat(frame.path("event").asString()).isEqualTo("agent:status");
        assertThat(frame.path("agentId").asString()).isEqualTo(id);
        assertThat(frame.path("status").asString()).isEqualTo(status);
    }

    @Test
    void agentSpawnedUsesTheDashboardTypeAsAgentType() {
        String id = uniqueId("spawned");
        JsonNode frame = accepted("agents", "agent:spawned", "{\"id\":\"" + id + "\",\"name\":\"C\",\"type\":\"coder\"}");
        assertThat(frame.path("agentType").asString()).isEqualTo("coder");
        assertThat(frame.path("name").asString()).isEqualTo("C");
    }

    @Test
    void taskDashboardNamesAndInProgressAreMapped() {
        String id = uniqueId("dash-task");
        JsonNode frame = accepted("compat", "tasks", "task:update", "{\"id\":\"" + id + "\",\"assignedAgent\":\"a-7\","
                + "\"status\":\"in_progress\",\"startedAt\":1000,\"description\":\"build it\",\"type\":\"code\",\"priority\":\"high\"}");
        assertThat(frame.path("type").asString()).isEqualTo("task:update");
        assertThat(frame.path("taskId").asString()).isEqualTo(id);
        assertThat(frame.path("agentId").asString()).isEqualTo("a-7");
        assertThat(frame.path("status").asString()).isEqualTo("running");
        assertThat(frame.path("startTime").asLong()).isEqualTo(1000);
        JsonNode data = frame.path("data");
        assertThat(data.path("id").asString()).isEqualTo(id);
        assertThat(data.path("assignedAgent").asString()).isEqualTo("a-7");
        assertThat(data.path("startedAt").asLong()).isEqualTo(1000);
        assertThat(data.path("type").asString()).isEqualTo("code");
        assertThat(data.path("priority").asString()).isEqualTo("high");
    }

    @Test
    void cancelledTaskFailsWithErrorCancelled() {
        String id = uniqueId("cancelled");
        JsonNode frame = accepted("tasks", "task:update", "{\"id\":\"" + id + "\",\"status\":\"cancelled\",\"completedAt\":2000}");
        assertThat(frame.path("status").asString()).isEqualTo("failed");
        assertThat(frame.path("error").asString()).isEqualTo("cancelled");
        assertThat(frame.path("endTime").asLong()).isEqualTo(2000);

        String other = uniqueId("cancelled-why");
        JsonNode withReason = accepted("tasks", "task:update", "{\"id\":\"" + other + "\",\"status\":\"cancelled\",\"error\":\"user abort\"}");
        assertThat(withReason.path("status").asString()).isEqualTo("failed");
        assertThat(withReason.path("error").asString()).isEqualTo("user abort");
    }

    @ParameterizedTest(name = "{0} means {1}")
    @CsvSource({"task:created,pending", "task:assigned,assigned", "task:started,running", "task:completed,completed",
            "task:failed,failed"})
    void taskEventNamesAreMapped(String type, String status) {
        String id = uniqueId("task-name");
        JsonNode frame = accepted("tasks", type, "{\"id\":\"" + id + "\",\"description\":\"d\",\"completedAt\":3000}");
        assertThat(frame.path("type").asString()).isEqualTo("task:update");
        assertThat(frame.path("taskId").asString()).isEqualTo(id);
        assertThat(frame.path("status").asString()).isEqualTo(status);
        assertThat(frame.path("endTime").asLong()).isEqualTo(3000);
        assertThat(frame.path("data").path("completedAt").asLong()).isEqualTo(3000);
    }

    @Test
    void eventNameDoesNotOverrideAStatusTheEventStates() {
        String id = uniqueId("explicit");
        JsonNode frame = accepted("tasks", "task:created", "{\"id\":\"" + id + "\",\"status\":\"assigned\",\"assignedAgent\":\"a1\"}");
        assertThat(frame.path("status").asString()).isEqualTo("assigned");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"message:sent", "message:received"})
    void messageDashboardNamesAreMapped(String type) {
        String id = uniqueId("dash-msg");
        JsonNode frame = accepted("messages", type, "{\"id\":\"" + id + "\",\"source\":\"a1\",\"target\":\"a2\","
                + "\"type\":\"query\",\"content\":\"hello there\"}");
        assertThat(frame.path("type").asString()).isEqualTo("message:sent");
        assertThat(frame.path("messageId").asString()).isEqualTo(id);
        assertThat(frame.path("messageType").asString()).isEqualTo("query");
        assertThat(frame.path("payload").asString()).isEqualTo("hello there");
        assertThat(frame.path("size").asLong()).isEqualTo("hello there".length());
        assertThat(frame.path("data").path("id").asString()).isEqualTo(id);
        assertThat(frame.path("data").path("type").asString()).isEqualTo("query");
        assertThat(frame.path("data").path("content").asString()).isEqualTo("hello there");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "memory:store|\"key\":\"k1\",\"value\":{\"v\":1}|store",
            "memory:retrieve|\"key\":\"k1\",\"cacheHit\":true|retrieve",
            "memory:search|\"query\":\"agents\",\"resultCount\":2|search",
            "memory:update|\"key\":\"k1\",\"value\":2|update",
            "memory:delete|\"key\":\"k1\"|delete"})
    void memoryEventNamesAndDurationAreMapped(String type, String fields, String operation) {
        String namespace = uniqueId("ns");
        JsonNode frame = accepted("memory", type, "{\"namespace\":\"" + namespace + "\"," + fields + ",\"duration\":3.5}");
        assertThat(frame.path("type").asString()).isEqualTo("memory:operation");
        assertThat(frame.path("operation").asString()).isEqualTo(operation);
        assertThat(frame.path("namespace").asString()).isEqualTo(namespace);
        assertThat(frame.path("latency").asDouble()).isEqualTo(3.5);
        assertThat(frame.path("data").path("latency").asDouble()).isEqualTo(3.5);
        assertThat(frame.path("data").path("success").asBoolean()).isTrue();
    }

    @Test
    void mappedEventIsStillValidated() {
        long newestBefore = server.newestSeq();
        String namespace = uniqueId("ns-bad");
        Http.Response response = Http.post(port, "/event", body("memory", "memory:store", "{\"namespace\":\"" + namespace + "\"}"));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("field").asString()).isEqualTo("event.key");
        assertNothingAccepted(newestBefore, namespace);
    }

    @Test
    void topologyAndMetricsAreHandledAsTyped() {
        String id = uniqueId("node");
        JsonNode topology = accepted("topology", "topology:change", "{\"topology\":\"hierarchical\",\"nodes\":[{\"id\":\"" + id
                + "\",\"name\":\"Queen\",\"type\":\"coordinator\",\"status\":\"active\"}],\"edges\":[]}");
        assertThat(topology.path("type").asString()).isEqualTo("topology:change");
        assertThat(topology.path("nodes").get(0).path("id").asString()).isEqualTo(id);

        Http.Response metrics = Http.post(port("compat"), "/event", body("metrics", "metrics:update",
                "{\"activeAgents\":31337,\"pendingTasks\":0,\"messagesPerSecond\":1,\"memoryOpsPerSecond\":2}"));
        assertThat(metrics.status()).isEqualTo(202);
        assertThat(seqs(metrics)).containsExactly(0L);
        JsonNode frame = client.awaitFrame(f -> f.path("activeAgents").asInt() == 31337);
        assertThat(frame.path("type").asString()).isEqualTo("metrics:update");
        assertThat(frame.has("seq")).isFalse();
    }

    @Test
    void timestampsAreTakenFromTheEventThenTheEnvelopeAndMayBeIso8601() {
        String first = uniqueId("ts-iso");
        Http.Response iso = Http.post(port, "/event", "{\"channel\":\"agents\",\"type\":\"agent:status\",\"timestamp\":\"2025-11-25T12:00:00Z\","
                + "\"event\":{\"agentId\":\"" + first + "\",\"status\":\"idle\"}}");
        assertThat(iso.status()).isEqualTo(202);
        assertThat(awaitSeq(client, seqs(iso).get(0)).path("timestamp").asLong())
                .isEqualTo(Instant.parse("2025-11-25T12:00:00Z").toEpochMilli());

        String second = uniqueId("ts-event");
        Http.Response both = Http.post(port, "/event", "{\"channel\":\"agents\",\"type\":\"agent:status\",\"timestamp\":5000,"
                + "\"event\":{\"agentId\":\"" + second + "\",\"status\":\"idle\",\"timestamp\":7000}}");
        assertThat(awaitSeq(client, seqs(both).get(0)).path("timestamp").asLong()).isEqualTo(7000);
    }
}
