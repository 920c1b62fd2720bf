package io.swarmcast.web;

import io.swarmcast.support.Http;
import io.swarmcast.support.Rest;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Numbers that overflow or make no sense, sent to every way in: each is a 400 {@code invalid_field} naming the
 * field (an {@code error} frame over WebSocket), never a 500 or a 1011 close. Valid requests in between prove the
 * server still works, and a well-behaved client subscribed to every durable channel throughout receives every
 * event of the run, each seq once and in order.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutOfRangeInputIT {

    private static final String TWO_TO_THE_64 = "18446744073709551616";

    @LocalServerPort
    int port;

    private TestClient watcher;
    private long firstSeq;

    @BeforeAll
    void watch() {
        watcher = TestClient.connectWelcomed(port);
        firstSeq = Rest.newestSeq(port);
        watcher.sendJson(Rest.object("type", "subscribe", "channels", List.of("agents", "tasks", "messages", "memory", "topology"),
                "snapshot", false));
        watcher.awaitType("subscribed");
    }

    @AfterAll
    void watcherSawEverySeqInOrder() {
        long newest = Rest.newestSeq(port);
        assertThat(newest).as("the valid requests of the run published events").isGreaterThan(firstSeq + 10);
        await().atMost(Duration.ofSeconds(10)).until(() -> lastSeq(watcher) >= newest);
        List<Long> seqs = watcher.events().stream().filter(e -> e.has("seq")).map(e -> e.path("seq").asLong()).toList();
        assertThat(seqs).as("every seq from %d to %d once, in order", firstSeq + 1, newest)
                .isEqualTo(java.util.stream.LongStream.rangeClosed(firstSeq + 1, newest).boxed().toList());
        assertThat(watcher.framesOfType("error")).isEmpty();
        assertThat(watcher.isOpen()).isTrue();
        watcher.close();
    }

    private static long lastSeq(TestClient client) {
        List<JsonNode> events = client.events();
        return events.isEmpty() ? 0 : events.get(events.size() - 1).path("seq").asLong();
    }

    private static void assertInvalidField(Http.Response response, String field) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        JsonNode body = response.json();
        assertThat(body.path("code").asString()).isEqualTo("invalid_field");
        assertThat(body.path("field").asString()).isEqualTo(field);
        assertThat(body.path("error").asString()).contains(field.substring(field.lastIndexOf('.') + 1));
    }

    /** A valid request after the refused ones: the server still takes events. */
    private void stillWorks() {
        String id = Rest.unique("ok");
        Rest.expect(Http.post(port, "/api/events", "{\"type\":\"agent:status\",\"agentId\":\"" + id + "\",\"status\":\"idle\"}"), 202);
    }

    @ParameterizedTest(name = "{1} = {2}")
    @CsvSource(delimiter = '|', value = {
            "\"type\":\"agent:status\",\"agentId\":\"a\",\"status\":\"idle\"  | timestamp            | 1e19",
            "\"type\":\"agent:status\",\"agentId\":\"a\",\"status\":\"idle\"  | timestamp            | " + TWO_TO_THE_64,
            "\"type\":\"agent:status\",\"agentId\":\"a\",\"status\":\"idle\"  | timestamp            | 1e400",
            "\"type\":\"agent:status\",\"agentId\":\"a\",\"status\":\"idle\"  | timestamp            | 253402300800000",
            "\"type\":\"agent:status\",\"agentId\":\"a\",\"status\":\"idle\"  | createdAt            | -1",
            "\"type\":\"task:update\",\"taskId\":\"t\",\"status\":\"running\" | progress             | 1e19",
            "\"type\":\"task:update\",\"taskId\":\"t\",\"status\":\"running\" | startTime            | " + TWO_TO_THE_64,
            "\"type\":\"task:update\",\"taskId\":\"t\",\"status\":\"running\" | endTime              | -5",
            "\"type\":\"message:sent\",\"source\":\"a\",\"target\":\"b\",\"messageType\":\"task\" | size | -1",
            "\"type\":\"message:sent\",\"source\":\"a\",\"target\":\"b\",\"messageType\":\"task\" | size | 1e30",
            "\"type\":\"memory:operation\",\"operation\":\"search\",\"namespace\":\"n\",\"query\":\"q\" | latency     | 1e400",
            "\"type\":\"memory:operation\",\"operation\":\"search\",\"namespace\":\"n\",\"query\":\"q\" | latency     | -0.5",
            "\"type\":\"memory:operation\",\"operation\":\"search\",\"namespace\":\"n\",\"query\":\"q\" | resultCount | " + TWO_TO_THE_64,
            "\"type\":\"metrics:update\",\"activeAgents\":1,\"pendingTasks\":0,\"memoryOpsPerSecond\":0 | messagesPerSecond | -1",
            "\"type\":\"metrics:update\",\"pendingTasks\":0,\"messagesPerSecond\":0,\"memoryOpsPerSecond\":0 | activeAgents | 1e19",
            "\"type\":\"metrics:update\",\"activeAgents\":1,\"pendingTasks\":0,\"messagesPerSecond\":0,\"memoryOpsPerSecond\":0 | connectedClients | " + TWO_TO_THE_64,
            "\"type\":\"metrics:update\",\"activeAgents\":1,\"pendingTasks\":0,\"messagesPerSecond\":0,\"memoryOpsPerSecond\":0 | eventsPerSecond | 1e400",
    })
    void typedIngestRefusesTheNumber(String event, String field, String value) {
        assertInvalidField(Http.post(port, "/api/events", "{" + event + ",\"" + field + "\":" + value + "}"), field);
        stillWorks();
    }

    @ParameterizedTest(name = "metrics.{0} = {1}")
    @CsvSource({"cpu, 1e400", "cpu, -1", "memory, 1e400", "messageCount, 1e19", "tasksCompleted, " + TWO_TO_THE_64, "tasksFailed, -1"})
    void agentMetricsAreRefusedWithTheirPath(String field, String value) {
        assertInvalidField(Http.post(port, "/api/events",
                "{\"type\":\"agent:status\",\"agentId\":\"a\",\"status\":\"idle\",\"metrics\":{\"" + field + "\":" + value + "}}"),
                "metrics." + field);
        stillWorks();
    }

    @Test
    void claudeFlowIngestRefusesTheNumberWithItsEventPath() {
        assertInvalidField(Http.post(port, "/event",
                "{\"channel\":\"tasks\",\"type\":\"task:update\",\"event\":{\"id\":\"t\",\"status\":\"running\",\"progress\":1e19}}"),
                "event.progress");
        assertInvalidField(Http.post(port, "/event",
                "{\"channel\":\"agents\",\"type\":\"agent:spawned\",\"event\":{\"id\":\"a\",\"metrics\":{\"cpuPercent\":1e400}}}"),
                "event.metrics.cpu");
        stillWorks();
    }

    @Test
    void claudeFlowIngestTakesTheServersTimeForATimestampItCannotRead() {
        long before = System.currentTimeMillis();
        for (String timestamp : List.of("1e19", TWO_TO_THE_64, "-1", "\"+1000000000-01-01T00:00:00Z\"", "\"yesterday\"")) {
            String id = Rest.unique("ts");
            Http.Response response = Http.post(port, "/event", "{\"channel\":\"agents\",\"type\":\"agent:status\",\"timestamp\":"
                    + timestamp + ",\"event\":{\"agentId\":\"" + id + "\",\"status\":\"idle\",\"timestamp\":" + timestamp + "}}");
            assertThat(response.status()).as(timestamp + ": " + response.body()).isEqualTo(202);
            long seq = response.json().path("seqs").get(0).asLong();
            JsonNode frame = watcher.awaitFrame(f -> f.path("seq").asLong() == seq);
            assertThat(frame.path("timestamp").asLong()).as(timestamp).isBetween(before, System.currentTimeMillis());
        }
    }

    @Test
    void commandsRefuseTheNumber() {
        String agent = Rest.spawnAgent(port, Rest.unique("agent"), "Agent", "coder");
        assertInvalidField(Rest.patch(port, "/api/agents/" + agent, Rest.object("metrics", Rest.object("cpu", -1))), "cpu");
        assertInvalidField(Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + "/api/agents/" + agent))
                .header("Content-Type", "application/json")
                .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{\"metrics\":{\"memory\":1e400}}")).build()), "memory");

        String task = Rest.createTask(port, Rest.unique("task"), "work");
        Rest.taskCommand(port, task, "assign", Rest.object("agentId", agent));
        Rest.taskCommand(port, task, "start", Rest.object());
        assertInvalidField(Http.post(port, "/api/tasks/" + task + "/progress", "{\"progress\":1e19}"), "progress");
        assertInvalidField(Http.post(port, "/api/tasks/" + task + "/progress", "{\"progress\":" + TWO_TO_THE_64 + "}"), "progress");
        assertInvalidField(Http.post(port, "/api/tasks/" + task + "/progress", "{\"progress\":-1}"), "progress");
        Rest.taskCommand(port, task, "progress", Rest.object("progress", 50));

        assertInvalidField(Http.post(port, "/api/swarm/init", "{\"size\":1e19}"), "size");
        assertInvalidField(Http.post(port, "/api/swarm/init", "{\"size\":" + TWO_TO_THE_64 + "}"), "size");

        for (String ttl : List.of("9223372036854775807", "99999999999999999999", "0", "-1", "1e3")) {
            assertInvalidField(Rest.put(port, "/api/memory/ns/key?ttl=" + ttl, "\"v\""), "ttl");
        }
        Rest.expect(Rest.put(port, "/api/memory/ns/key?ttl=60", "\"v\""), 201);
    }

    @Test
    void webSocketRequestsOutOfRangeGetAnErrorFrameAndTheConnectionStays() {
        try (TestClient client = TestClient.connectWelcomed(port)) {
            List<String> requests = List.of(
                    "{\"type\":\"subscribe\",\"channel\":\"agents\",\"sinceSeq\":" + TWO_TO_THE_64 + "}",
                    "{\"type\":\"subscribe\",\"channel\":\"agents\",\"sinceSeq\":1e19}",
                    "{\"type\":\"subscribe\",\"channel\":\"agents\",\"sinceSeq\":-1}",
                    "{\"type\":\"replay\",\"sinceSeq\":" + TWO_TO_THE_64 + "}",
                    "{\"type\":\"replay\",\"since\":" + TWO_TO_THE_64 + "}",
                    "{\"type\":\"replay\",\"sinceSeq\":0,\"limit\":" + TWO_TO_THE_64 + "}",
                    "{\"type\":\"replay\",\"sinceSeq\":0,\"limit\":1e30}");
            List<String> fields = List.of("sinceSeq", "sinceSeq", "sinceSeq", "sinceSeq", "since", "limit", "limit");
            for (int i = 0; i < requests.size(); i++) {
                client.send(requests.get(i));
                JsonNode error = client.awaitType("error", i + 1);
                assertThat(error.path("code").asString()).as(requests.get(i)).isEqualTo("invalid_field");
                assertThat(error.path("field").asString()).as(requests.get(i)).isEqualTo(fields.get(i));
            }
            // The largest seq a client can name is a valid one: an empty, complete answer, not the whole history.
            client.send("{\"type\":\"replay\",\"sinceSeq\":9223372036854775807}");
            JsonNode replay = client.awaitType("replay");
            assertThat(replay.path("count").asInt()).isZero();
            assertThat(replay.path("complete").asBoolean()).isTrue();
            client.send("{\"type\":\"replay\",\"sinceSeq\":0,\"limit\":9223372036854775807}");
            assertThat(client.awaitType("replay", 2).path("count").asInt()).isPositive();

            client.send("{\"type\":\"ping\"}");
            client.awaitType("pong");
            assertThat(client.isOpen()).isTrue();
        }
        stillWorks();
    }
}
