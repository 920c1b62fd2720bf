package io.swarmcast.server;

import io.swarmcast.support.TestClient;
import io.swarmcast.event.DashboardEvent;
import io.swarmcast.event.EventParser;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.swarmcast.support.ProtocolFixtures.agent;
import static io.swarmcast.support.ProtocolFixtures.awaitSeq;
import static io.swarmcast.support.ProtocolFixtures.memory;
import static io.swarmcast.support.ProtocolFixtures.message;
import static io.swarmcast.support.ProtocolFixtures.metrics;
import static io.swarmcast.support.ProtocolFixtures.names;
import static io.swarmcast.support.ProtocolFixtures.object;
import static io.swarmcast.support.ProtocolFixtures.seqs;
import static io.swarmcast.support.ProtocolFixtures.task;
import static io.swarmcast.support.ProtocolFixtures.topology;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a client receives live: every event type with its flat fields and its {@code data} view exactly as
 * docs/protocol.md section 2's table says, routed by channel, and the subscribe/unsubscribe answers.
 * Ingest through the services is tested in the ingest and domain packages.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EventDeliveryIT {

    private static final Set<String> ENVELOPE = Set.of("type", "event", "channel", "seq", "id", "timestamp");
    private static final long T = 1_764_085_000_000L;

    @LocalServerPort
    int port;

    @Autowired
    EventServer server;

    @Autowired
    EventParser parser;

    /**
     * Publishes straight to the event server, as an in-process caller does: these tests pin the frame codec's
     * output field for field, which ingest through the domain services would enrich (names, createdAt...).
     */
    private List<Long> publish(JsonNode... events) {
        List<DashboardEvent> parsed = new java.util.ArrayList<>();
        for (JsonNode event : events) {
            parsed.add(parser.parse(event));
        }
        return server.broadcastAll(parsed);
    }

    /**
     * The suite runs once per socket path (pom.xml: the failsafe executions set swarmcast.delivery.socket):
     * this proves which one actually delivered. On this Tomcat, auto must find the direct path usable.
     */
    @Test
    void theHealthDetailsNameTheSocketPathThatDelivers() {
        String configured = System.getProperty("swarmcast.delivery.socket", "auto");
        String expected = configured.equalsIgnoreCase("standard") ? "standard" : "direct";

        JsonNode health = io.swarmcast.support.Http.get(port, "/actuator/health").json();

        assertThat(health.path("components").path("swarmcast").path("details").path("socket").asString())
                .isEqualTo(expected);
        try (TestClient client = TestClient.connectWelcomed(port)) {
            client.subscribe("messages");
            long seq = publish(message(unique("path"), "through the " + expected + " path")).get(0);
            assertThat(awaitSeq(client, seq).path("payload").asString()).isEqualTo("through the " + expected + " path");
        }
    }

    @Test
    void agentStatusCarriesFlatFieldsAndDashboardView() {
        try (TestClient client = TestClient.connectWelcomed(port)) {
            client.subscribe("agents");
            String id = unique("coder");
            ObjectNode posted = agent(id, "busy").put("name", "Coder-Alpha").put("agentType", "coder")
                    .put("task", "task-7").put("createdAt", T - 60_000).put("timestamp", T);
            posted.putObject("metrics").put("cpu", 12.5).put("memory", 180.0).put("messageCount", 31)
                    .put("tasksCompleted", 4).put("tasksFailed", 1);
            long seq = publish(posted).get(0);

            JsonNode frame = awaitSeq(client, seq);
            assertEnvelope(frame, "agent:status", "agents", seq, T);
            assertThat(names(frame)).isEqualTo(withEnvelope("agentId", "name", "agentType", "status", "task", "metrics", "data"));
            assertThat(frame.path("agentId").asString()).isEqualTo(id);
            assertThat(frame.path("name").asString()).isEqualTo("Coder-Alpha");
            assertThat(frame.path("agentType").asString()).isEqualTo("coder");
            assertThat(frame.path("status").asString()).isEqualTo("busy");
            assertThat(frame.path("task").asString()).isEqualTo("task-7");
            JsonNode metrics = frame.path("metrics");
            assertThat(names(metrics)).containsExactlyInAnyOrder("cpu", "memory", "messageCount");
            assertThat(metrics.path("cpu").asDouble()).isEqualTo(12.5);
            assertThat(metrics.path("memory").asDouble()).isEqualTo(180.0);
            assertThat(metrics.path("messageCount").asLong()).isEqualTo(31);

            JsonNode data = frame.path("data");
            assertThat(names(data)).containsExactlyInAnyOrder("id", "name", "type", "status", "currentTask",
                    "currentTaskCount", "metrics", "createdAt", "lastActivity");
            assertThat(data.path("currentTaskCount").asInt()).as("the Claude Flow dashboard's task count").isEqualTo(1);
            assertThat(data.path("id").asString()).isEqualTo(id);
            assertThat(data.path("name").asString()).isEqualTo("Coder-Alpha");
            assertThat(data.path("type").asString()).isEqualTo("coder");
            assertThat(data.path("status").asString()).isEqualTo("busy");
            assertThat(data.path("currentTask").asString()).isEqualTo("task-7");
            assertThat(data.path("createdAt").isNumber()).isTrue();
            assertThat(data.path("createdAt").asLong()).isEqualTo(T - 60_000);
            assertThat(data.path("lastActivity").isNumber()).isTrue();
            assertThat(data.path("lastActivity").asLong()).isEqualTo(T);
            JsonNode dataMetrics = data.path("metrics");
            assertThat(dataMetrics.path("cpu").asDouble()).isEqualTo(12.5);
            assertThat(dataMetrics.path("memory").asDouble()).isEqualTo(180.0);
            assertThat(dataMetrics.path("messageCount").asLong()).isEqualTo(31);
            assertThat(dataMetrics.path("cpuPercent").asDouble()).isEqualTo(12.5);
            assertThat(dataMetrics.path("memoryUsageMb").asDouble()).isEqualTo(180.0);
            assertThat(dataMetrics.path("tasksCompleted").asLong()).isEqualTo(4);
            assertThat(dataMetrics.path("tasksFailed").asLong()).isEqualTo(1);
        }
    }

    @Test
    void minimalAgentStatusHasNoOptionalFields() {
        try (TestClient client = TestClient.connectWelcomed(port)) {
            client.subscribe("agents");
            String id = unique("idle");
            long seq = publish(agent(id, "idle").put("timestamp", T)).get(0);

            JsonNode frame = awaitSeq(client, seq);
            assertThat(names(frame)).isEqualTo(withEnvelope("agentId", "status", "data"));
            // currentTaskCount is always sent (0 here): the Claude Flow dashboard merges updates into its card.
            assertThat(names(frame.path("data"))).containsExactlyInAnyOrder("id", "status", "lastActivity", "currentTaskCount");
            assertThat(frame.path("data").path("id").asString()).isEqualTo(id);
        }
    }

    @Test
    void taskUpdateCarriesFlatFieldsAndDashboardView() {
        try (TestClient client = TestClient.connectWelcomed(port)) {
            client.subscribe("tasks");
            String done = unique("task-done");
            String failed = unique("task-failed");
            ObjectNode completed = task(done, "completed").put("agentId", "coder-1").put("description", "Write the tests")
                    .put("progress", 100).put("startTime", T - 5000).put("endTime", T - 100).put("createdAt", T - 9000)
                    .put("taskType", "coding").put("priority", "high").put("timestamp", T);
            ObjectNode failing = task(failed, "failed").put("description", "Deploy").put("error", "disk full")
                    .put("timestamp", T + 1);
            List<Long> seqs = publish(completed, failing);

            JsonNode frame = awaitSeq(client, seqs.get(0));
            assertEnvelope(frame, "task:update", "tasks", seqs.get(0), T);
            assertThat(names(frame)).isEqualTo(withEnvelope("taskId", "status", "agentId", "description", "progress",
                    "startTime", "endTime", "data"));
            assertThat(frame.path("taskId").asString()).isEqualTo(done);
            assertThat(frame.path("status").asString()).isEqualTo("completed");
            assertThat(frame.path("agentId").asString()).isEqualTo("coder-1");
            assertThat(frame.path("description").asString()).isEqualTo("Write the tests");
            assertThat(frame.path("progress").asInt()).isEqualTo(100);
            assertThat(frame.path("startTime").asLong()).isEqualTo(T - 5000);
            assertThat(frame.path("endTime").asLong()).isEqualTo(T - 100);
            JsonNode data = frame.path("data");
            assertThat(names(data)).containsExactlyInAnyOrder("id", "description", "status", "assignedAgent", "progress",
                    "createdAt", "startedAt", "completedAt", "type", "priority");
            assertThat(data.path("id").asString()).isEqualTo(done);
            assertThat(data.path("description").asString()).isEqualTo("Write the tests");
            assertThat(data.path("status").asString()).isEqualTo("completed");
            assertThat(data.path("assignedAgent").asString()).isEqualTo("coder-1");
            assertThat(data.path("progress").asInt()).isEqualTo(100);
            assertThat(data.path("createdAt").asLong()).isEqualTo(T - 9000);
            assertThat(data.path("startedAt").isNumber()).isTrue();
            assertThat(data.path("startedAt").asLong()).isEqualTo(T - 5000);
            assertThat(data.path("completedAt").isNumber()).isTrue();
            assertThat(data.path("completedAt").asLong()).isEqualTo(T - 100);
            assertThat(data.path("type").asString()).isEqualTo("coding");
            assertThat(data.path("priority").asString()).isEqualTo("high");

            JsonNode failure = awaitSeq(client, seqs.get(1));
            assertEnvelope(failure, "task:update", "tasks", seqs.get(1), T + 1);
            assertThat(names(failure)).isEqualTo(withEnvelope("taskId", "status", "description", "error", "data"));
            assertThat(failure.path("error").asString()).isEqualTo("disk full");
            assertThat(names(failure.path("data"))).containsExactlyInAnyOrder("id", "description", "status", "error");
            assertThat(failure.path("data").path("id").asString()).isEqualTo(failed);
            assertThat(failure.path("data").path("status").asString()).isEqualTo("failed");
            assertThat(failure.path("data").path("error").asString()).isEqualTo("disk full");
        }
    }

    @Test
    void messageSentCarriesFlatFieldsAndDashboardView() {
        try (TestClient client = TestClient.connectWelcomed(port)) {
            client.subscribe("messages");
            ObjectNode structured = object().put("type", "message:sent").put("messageId", unique("msg"))
                    .put("source", "coder-1").put("target", "reviewer-1").put("messageType", "query").put("size", 42)
                    .put("timestamp", T);
            structured.putObject("payload").put("question", "ready?").putArray("files").add("a.java").add("b.java");
            String longText = "x".repeat(700);
            ObjectNode text = message(unique("msg"), longText).put("messageType", "broadcast").put("timestamp", T + 1);
            List<Long> seqs = publish(structured, text);

            JsonNode frame = awaitSeq(client, seqs.get(0));
            assertEnvelope(frame, "message:sent", "messages", seqs.get(0), T);
            assertThat(names(frame)).isEqualTo(withEnvelope("messageId", "source", "target", "messageType", "payload",
                    "size", "data"));
            assertThat(frame.path("messageId").asString()).isEqualTo(structured.path("messageId").asString());
            assertThat(frame.path("source").asString()).isEqualTo("coder-1");
            assertThat(frame.path("target").asString()).isEqualTo("reviewer-1");
            assertThat(frame.path("messageType").asString()).isEqualTo("query");
            assertThat(frame.path("payload")).isEqualTo(structured.path("payload"));
            assertThat(frame.path("size").asLong()).isEqualTo(42);
            JsonNode data = frame.path("data");
            assertThat(names(data)).containsExactlyInAnyOrder("id", "source", "target", "type", "direction", "content",
                    "data", "size", "metadata", "timestamp");
            assertThat(data.path("metadata").path("size").asLong()).as("what the Claude Flow dashboard shows").isEqualTo(42);
            assertThat(data.path("id").asString()).isEqualTo(structured.path("messageId").asString());
            assertThat(data.path("source").asString()).isEqualTo("coder-1");
            assertThat(data.path("target").asString()).isEqualTo("reviewer-1");
            assertThat(data.path("type").asString()).isEqualTo("query");
            assertThat(data.path("direction").asString()).isEqualTo("internal");
            assertThat(data.path("content").isString()).as("data.content must be a string").isTrue();
            assertThat(TestClient.JSON.readTree(data.path("content").asString())).isEqualTo(structured.path("payload"));
            assertThat(data.path("data")).isEqualTo(structured.path("payload"));
            assertThat(data.path("size").asLong()).isEqualTo(42);
            assertThat(data.path("timestamp").isNumber()).isTrue();
            assertThat(data.path("timestamp").asLong()).isEqualTo(T);

            JsonNode textFrame = awaitSeq(client, seqs.get(1));
            assertThat(textFrame.path("payload").asString()).isEqualTo(longText);
            assertThat(textFrame.has("truncated")).isFalse();
            assertThat(textFrame.path("size").asLong()).as("size measured by the server").isEqualTo(700);
            assertThat(textFrame.path("data").path("type").asString()).isEqualTo("broadcast");
            assertThat(textFrame.path("data").path("content").isString()).isTrue();
            assertThat(textFrame.path("data").path("content").asString()).isEqualTo(longText.substring(0, 500));
            assertThat(textFrame.path("data").path("data").asString()).isEqualTo(longText);
        }
    }

    /** The 500-char cut of data.content must not split a surrogate pair: a lone surrogate is not valid UTF-8. */
    @Test
    void messageContentCutKeepsCharactersWhole() {
        try (TestClient client = TestClient.connectWelcomed(port)) {
            client.subscribe("messages");
            String text = "a".repeat(499) + "\uD83D\uDE00" + "tail";
            long seq = publish(message(unique("emoji"), text)).get(0);

            JsonNode frame = awaitSeq(client, seq);
            String content = frame.path("data").path("content").asString();
            assertThat(content.length()).isLessThanOrEqualTo(500);
            assertThat(text).startsWith(content);
            assertThat(content).doesNotContain("\uFFFD", "?");
            assertThat(Character.isHighSurrogate(content.charAt(content.length() - 1))).isFalse();
            assertThat(frame.path("payload").asString()).isEqualTo(text);
            assertThat(client.isOpen()).isTrue();
        }
    }

    @Test
    void memoryOperationCarriesFlatFieldsAndDashboardView() {
        try (TestClient client = TestClient.connectWelcomed(port)) {
            client.subscribe("memory");
            ObjectNode store = memory("swarm", "plan").put("resultCount", 1).put("cacheHit", false).put("latency", 2.5)
                    .put("agentId", "coder-1").put("timestamp", T);
            store.putObject("value").put("steps", 3);
            ObjectNode search = object().put("type", "memory:operation").put("operation", "search").put("namespace", "swarm")
                    .put("query", "plan*").put("resultCount", 7).put("cacheHit", true).put("latency", 0.5).put("timestamp", T + 1);
            ObjectNode failed = memory("swarm", "lost").put("operation", "retrieve").put("success", false)
                    .put("error", "not found").put("timestamp", T + 2);
            ObjectNode errorOnly = memory("swarm", "broken").put("operation", "delete").put("error", "store offline")
                    .put("timestamp", T + 3);
            List<Long> seqs = publish(store, search, failed, errorOnly);

            JsonNode frame = awaitSeq(client, seqs.get(0));
            assertEnvelope(frame, "memory:operation", "memory", seqs.get(0), T);
            assertThat(names(frame)).isEqualTo(withEnvelope("operation", "namespace", "key", "value", "resultCount",
                    "cacheHit", "latency", "data"));
            assertThat(frame.path("operation").asString()).isEqualTo("store");
            assertThat(frame.path("namespace").asString()).isEqualTo("swarm");
            assertThat(frame.path("key").asString()).isEqualTo("plan");
            assertThat(frame.path("value")).isEqualTo(store.path("value"));
            assertThat(frame.path("resultCount").asInt()).isEqualTo(1);
            assertThat(frame.path("cacheHit").isBoolean()).isTrue();
            assertThat(frame.path("cacheHit").asBoolean()).isFalse();
            assertThat(frame.path("latency").asDouble()).isEqualTo(2.5);
            JsonNode data = frame.path("data");
            assertThat(names(data)).containsExactlyInAnyOrder("id", "operation", "namespace", "key", "value", "resultCount",
                    "cacheHit", "latency", "success", "agentId", "timestamp");
            assertThat(data.path("id").asString()).isNotBlank();
            assertThat(data.path("operation").asString()).isEqualTo("store");
            assertThat(data.path("namespace").asString()).isEqualTo("swarm");
            assertThat(data.path("key").asString()).isEqualTo("plan");
            assertThat(data.path("value")).isEqualTo(store.path("value"));
            assertThat(data.path("resultCount").asInt()).isEqualTo(1);
            assertThat(data.path("cacheHit").asBoolean()).isFalse();
            assertThat(data.path("latency").asDouble()).isEqualTo(2.5);
            assertThat(data.path("success").isBoolean()).isTrue();
            assertThat(data.path("success").asBoolean()).isTrue();
            assertThat(data.path("agentId").asString()).isEqualTo("coder-1");
            assertThat(data.path("timestamp").asLong()).isEqualTo(T);

            JsonNode searchFrame = awaitSeq(client, seqs.get(1));
            assertThat(names(searchFrame)).isEqualTo(withEnvelope("operation", "namespace", "query", "resultCount",
                    "cacheHit", "latency", "data"));
            assertThat(searchFrame.path("query").asString()).isEqualTo("plan*");
            assertThat(searchFrame.path("data").path("query").asString()).isEqualTo("plan*");
            assertThat(searchFrame.path("data").path("resultCount").asInt()).isEqualTo(7);
            assertThat(searchFrame.path("data").path("cacheHit").asBoolean()).isTrue();
            assertThat(searchFrame.path("data").path("success").asBoolean()).isTrue();
            assertThat(searchFrame.path("data").path("id").asString())
                    .isNotEqualTo(frame.path("data").path("id").asString());

            JsonNode failedFrame = awaitSeq(client, seqs.get(2));
            assertThat(failedFrame.path("data").path("success").isBoolean()).isTrue();
            assertThat(failedFrame.path("data").path("success").asBoolean()).isFalse();
            assertThat(failedFrame.path("data").path("error").asString()).isEqualTo("not found");

            JsonNode errorFrame = awaitSeq(client, seqs.get(3));
            assertThat(errorFrame.path("data").path("success").asBoolean())
                    .as("success is true unless an error: an error without a success flag is a failure").isFalse();
            assertThat(errorFrame.path("data").path("error").asString()).isEqualTo("store offline");
        }
    }

    @Test
    void topologyChangeCarriesTheSameFieldsFlatAndInData() {
        try (TestClient client = TestClient.connectWelcomed(port)) {
            client.subscribe("topology");
            ObjectNode posted = topology("hierarchical", "queen", "worker-1", "worker-2").put("timestamp", T);
            long seq = publish(posted).get(0);

            JsonNode frame = awaitSeq(client, seq);
            assertEnvelope(frame, "topology:change", "topology", seq, T);
            assertThat(names(frame)).isEqualTo(withEnvelope("topology", "nodes", "edges", "data"));
            assertThat(frame.path("topology").asString()).isEqualTo("hierarchical");
            assertThat(frame.path("nodes")).isEqualTo(posted.path("nodes"));
            assertThat(frame.path("edges")).isEqualTo(posted.path("edges"));
            JsonNode data = frame.path("data");
            assertThat(names(data)).containsExactlyInAnyOrder("topology", "nodes", "edges");
            assertThat(data.path("topology").asString()).isEqualTo("hierarchical");
            assertThat(data.path("nodes")).isEqualTo(posted.path("nodes"));
            assertThat(data.path("edges")).isEqualTo(posted.path("edges"));
        }
    }

    @Test
    void metricsUpdateIsEphemeralWithoutSeq() {
        try (TestClient client = TestClient.connectWelcomed(port)) {
            client.subscribe("metrics");
            int active = 1000 + (int) (Math.random() * 100_000);
            ObjectNode posted = metrics(active, 4).put("timestamp", T);
            List<Long> seqs = publish(posted);
            assertThat(seqs).containsExactly(0L);

            JsonNode frame = client.awaitFrame(f -> "metrics:update".equals(f.path("type").asString())
                    && f.path("activeAgents").asInt() == active);
            assertThat(frame.path("event").asString()).isEqualTo("metrics:update");
            assertThat(frame.path("channel").asString()).isEqualTo("metrics");
            assertThat(frame.path("timestamp").asLong()).isEqualTo(T);
            assertThat(names(frame)).containsExactlyInAnyOrder("type", "event", "channel", "timestamp", "activeAgents",
                    "pendingTasks", "messagesPerSecond", "memoryOpsPerSecond", "data");
            assertThat(frame.path("pendingTasks").asInt()).isEqualTo(4);
            assertThat(frame.path("messagesPerSecond").asDouble()).isEqualTo(1.5);
            assertThat(frame.path("memoryOpsPerSecond").asDouble()).isEqualTo(0.25);
            JsonNode data = frame.path("data");
            assertThat(names(data)).containsExactlyInAnyOrder("activeAgents", "pendingTasks", "messagesPerSecond",
                    "memoryOpsPerSecond");
            assertThat(data.path("activeAgents").asInt()).isEqualTo(active);
            assertThat(data.path("pendingTasks").asInt()).isEqualTo(4);
            assertThat(data.path("messagesPerSecond").asDouble()).isEqualTo(1.5);
            assertThat(data.path("memoryOpsPerSecond").asDouble()).isEqualTo(0.25);
        }
    }

    /**
     * Each client gets exactly the channels it subscribed to. A closing event on each client's own channel is
     * published last: delivery is in order, so once it arrived everything published before it had its chance.
     */
    @Test
    void eventsGoOnlyToClientsSubscribedToTheirChannel() {
        try (TestClient agents = TestClient.connectWelcomed(port);
             TestClient tasksAndMessages = TestClient.connectWelcomed(port);
             TestClient everything = TestClient.connectWelcomed(port);
             TestClient nothing = TestClient.connectWelcomed(port)) {
            agents.subscribe("agents");
            tasksAndMessages.subscribe("tasks", "messages");
            everything.sendJson(Map.of("type", "subscribe", "channel", "*"));
            everything.awaitType("subscribed");
            String p = unique("route");
            List<Long> seqs = publish(agent(p + "-a", "busy"), task(p + "-t", "pending"), message(p + "-m", "hi"),
                    memory(p, "k"), topology("mesh", p + "-n1", p + "-n2"), agent(p + "-a2", "idle"),
                    task(p + "-t2", "running"));
            long lastAgent = seqs.get(5);
            long lastTask = seqs.get(6);

            awaitSeq(agents, lastAgent);
            awaitSeq(tasksAndMessages, lastTask);
            awaitSeq(everything, lastTask);

            assertThat(agents.events()).allSatisfy(f -> assertThat(f.path("channel").asString()).isEqualTo("agents"));
            assertThat(seqs(agents.events())).containsExactly(seqs.get(0), seqs.get(5));
            assertThat(seqs(tasksAndMessages.events())).containsExactly(seqs.get(1), seqs.get(2), seqs.get(6));
            assertThat(seqs(everything.events())).containsExactlyElementsOf(seqs);
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                    .until(() -> nothing.events().isEmpty() && nothing.framesOfType("welcome").size() == nothing.frames().size());
        }
    }

    @Test
    void unsubscribeStopsDeliveryAndAnswersWithTheRemainingSet() {
        try (TestClient client = TestClient.connectWelcomed(port)) {
            client.subscribe("agents", "tasks", "messages");
            String p = unique("unsub");
            long before = publish(agent(p + "-a", "busy")).get(0);
            awaitSeq(client, before);

            client.sendJson(Map.of("type", "unsubscribe", "channel", "agents"));
            JsonNode unsubscribed = client.awaitType("unsubscribed");
            assertThat(unsubscribed.path("channel").asString()).isEqualTo("agents");
            assertThat(channels(unsubscribed)).containsExactly("tasks", "messages");
            assertThat(unsubscribed.path("timestamp").isNumber()).isTrue();

            List<Long> seqs = publish(agent(p + "-a", "idle"), task(p + "-t", "pending"));
            awaitSeq(client, seqs.get(1));
            assertThat(seqs(client.events())).containsExactly(before, seqs.get(1));

            client.sendJson(Map.of("type", "unsubscribe", "channels", List.of("tasks", "metrics")));
            JsonNode second = client.awaitType("unsubscribed", 2);
            assertThat(second.has("channel")).as("no channel echo when several were named").isFalse();
            assertThat(channels(second)).containsExactly("messages");

            List<Long> more = publish(task(p + "-t", "running"), message(p + "-m", "still here"));
            awaitSeq(client, more.get(1));
            assertThat(seqs(client.events())).containsExactly(before, seqs.get(1), more.get(1));
        }
    }

    @Test
    void starSubscribesEveryChannelAndEchoesTheSingleChannel() {
        try (TestClient client = TestClient.connectWelcomed(port)) {
            client.sendJson(Map.of("type", "subscribe", "channel", "*", "snapshot", false));
            JsonNode subscribed = client.awaitType("subscribed");
            assertThat(subscribed.path("channel").asString()).isEqualTo("*");
            assertThat(channels(subscribed)).containsExactly("agents", "tasks", "messages", "memory", "topology", "metrics");
            assertThat(subscribed.has("recovered")).as("recovered only when sinceSeq was given").isFalse();

            String p = unique("star");
            List<Long> seqs = publish(agent(p, "busy"), task(p, "pending"), message(p, "m"), memory(p, "k"),
                    topology("adaptive", p), metrics(1, 2));
            awaitSeq(client, seqs.get(4));
            client.awaitFrame(f -> "metrics:update".equals(f.path("type").asString()) && f.path("activeAgents").asInt() == 1
                    && f.path("pendingTasks").asInt() == 2);
            assertThat(seqs(client.events())).containsExactlyElementsOf(seqs.subList(0, 5));
        }
    }

    @Test
    void subscribedEchoesOneChannelAndOmitsItWhenSeveralWereAsked() {
        try (TestClient client = TestClient.connectWelcomed(port)) {
            client.sendJson(Map.of("type", "subscribe", "channel", "tasks"));
            JsonNode first = client.awaitType("subscribed");
            assertThat(first.path("channel").asString()).isEqualTo("tasks");
            assertThat(channels(first)).containsExactly("tasks");
            assertThat(first.path("timestamp").isNumber()).isTrue();

            client.sendJson(Map.of("type", "subscribe", "channels", List.of("memory", "agents")));
            JsonNode second = client.awaitType("subscribed", 2);
            assertThat(second.has("channel")).isFalse();
            assertThat(channels(second)).as("the whole subscription set afterwards, in protocol order")
                    .containsExactly("agents", "tasks", "memory");
        }
    }

    @Test
    void largeValuesAreCutAndMarkedTruncated() {
        try (TestClient client = TestClient.connectWelcomed(port)) {
            client.subscribe("messages", "memory");
            String big = "y".repeat(10_000);
            ObjectNode bigMessage = message(unique("big"), big);
            ObjectNode bigMemory = memory("swarm", "big");
            bigMemory.putObject("value").put("blob", big);
            ObjectNode smallMemory = memory("swarm", "small");
            smallMemory.putObject("value").put("blob", "z");
            List<Long> seqs = publish(bigMessage, bigMemory, smallMemory);
            int limit = 4 * 1024;

            JsonNode message = awaitSeq(client, seqs.get(0));
            assertThat(message.path("truncated").asBoolean()).isTrue();
            assertThat(message.path("payload").isString()).isTrue();
            String cutPayload = message.path("payload").asString();
            assertThat(cutPayload.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(limit).isGreaterThan(limit / 2);
            assertThat(big).startsWith(cutPayload);
            assertThat(message.path("size").asLong()).as("size still tells the whole payload's size").isEqualTo(10_000);
            assertThat(message.path("data").path("content").asString()).hasSize(500);
            assertThat(message.path("data").path("data").asString()).isEqualTo(cutPayload);
            assertThat(message.toString().length()).isLessThan(2 * limit + 2000);

            JsonNode memoryFrame = awaitSeq(client, seqs.get(1));
            assertThat(memoryFrame.path("truncated").asBoolean()).isTrue();
            String cutValue = memoryFrame.path("value").asString();
            assertThat(cutValue.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(limit).isGreaterThan(limit / 2);
            assertThat(TestClient.JSON.writeValueAsString(bigMemory.path("value"))).startsWith(cutValue);
            assertThat(memoryFrame.path("data").path("value").asString()).isEqualTo(cutValue);

            JsonNode small = awaitSeq(client, seqs.get(2));
            assertThat(small.has("truncated")).isFalse();
            assertThat(small.path("value")).isEqualTo(smallMemory.path("value"));
        }
    }

    private static void assertEnvelope(JsonNode frame, String type, String channel, long seq, long timestamp) {
        assertThat(frame.path("type").asString()).isEqualTo(type);
        assertThat(frame.path("event").asString()).isEqualTo(type);
        assertThat(frame.path("channel").asString()).isEqualTo(channel);
        assertThat(frame.path("seq").isIntegralNumber()).isTrue();
        assertThat(frame.path("seq").asLong()).isEqualTo(seq).isPositive();
        assertThat(frame.path("id").asString()).isEqualTo("evt-" + seq);
        assertThat(frame.path("timestamp").isIntegralNumber()).isTrue();
        assertThat(frame.path("timestamp").asLong()).isEqualTo(timestamp);
        assertThat(frame.has("snapshot")).isFalse();
    }

    private static Set<String> withEnvelope(String... fields) {
        Set<String> all = new java.util.TreeSet<>(ENVELOPE);
        all.addAll(List.of(fields));
        return all;
    }

    static List<String> channels(JsonNode frame) {
        List<String> names = new java.util.ArrayList<>();
        frame.path("channels").forEach(c -> names.add(c.asString()));
        return names;
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
