package io.swarmcast.swarm;

import io.swarmcast.support.Http;
import io.swarmcast.support.Rest;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.swarmcast.support.Rest.object;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several swarms at once (docs/protocol.md 7.15): events carry an optional swarmId, each swarm has its own agents,
 * tasks, topology, snapshot and metrics, a client that names a swarm on subscribe sees only that swarm, and a client
 * that names none sees the default swarm exactly as before (no swarmId anywhere). At most {@code limits.max-swarms}.
 * The swarms used here are {@code s2} and {@code s3}: with the default one, exactly the cap of this context.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"swarmcast.limits.max-swarms=3", "swarmcast.server-id=swarms-it"})
class SeveralSwarmsIT {

    @LocalServerPort
    int port;

    @Test
    void twoSwarmsRunAtOnceAndEachClientSeesOnlyItsOwn() {
        try (TestClient plain = TestClient.connectWelcomed(port); TestClient second = TestClient.connectWelcomed(port)) {
            plain.subscribe("*");
            JsonNode init = Rest.expect(Rest.post(port, "/api/swarm/init",
                    object("topology", "mesh", "size", 3, "swarmId", "s2")), 201).json();
            assertThat(init.path("swarmId").asString()).isEqualTo("s2");
            assertThat(init.path("nodes")).hasSize(3);
            List<String> s2Members = new ArrayList<>();
            init.path("nodes").forEach(node -> s2Members.add(node.path("id").asString()));

            second.sendJson(Map.of("type", "subscribe", "channels", List.of("agents", "tasks", "topology", "metrics"),
                    "swarm", "s2"));
            JsonNode subscribed = second.awaitType("subscribed");
            assertThat(subscribed.path("swarm").asString()).isEqualTo("s2");
            // The snapshot is s2's: its three agents and its topology, each frame marked with the swarm.
            second.awaitFrame(frame -> frame.path("snapshot").asBoolean() && "topology:change".equals(type(frame)));
            List<JsonNode> snapshot = second.frames().stream().filter(frame -> frame.path("snapshot").asBoolean()
                    && !"metrics:update".equals(type(frame))).toList();
            assertThat(snapshot).allSatisfy(frame -> assertThat(frame.path("swarmId").asString()).isEqualTo("s2"));
            // (Other tests of this class may have put agents into s2 before: the snapshot holds at least its members.)
            assertThat(snapshot.stream().filter(frame -> "agent:status".equals(type(frame)))
                    .map(frame -> frame.path("agentId").asString())).containsAll(s2Members);
            assertThat(snapshot.stream().filter(frame -> "topology:change".equals(type(frame))).findFirst().orElseThrow()
                    .path("topology").asString()).isEqualTo("mesh");

            // The same agent id in both swarms is two agents; events of both, interleaved in one batch.
            String agent = Rest.unique("twin");
            String task = Rest.unique("task");
            ArrayNode batch = TestClient.JSON.createArrayNode();
            for (int i = 0; i < 10; i++) {
                ObjectNode ofDefault = agentStatus(agent, "Default-" + i, i % 2 == 0 ? "active" : "busy");
                ObjectNode ofS2 = agentStatus(agent, "Second-" + i, i % 2 == 0 ? "busy" : "idle");
                ofS2.put("swarmId", "s2");
                batch.add(ofDefault);
                batch.add(ofS2);
            }
            ObjectNode s2Task = object("type", "task:update", "taskId", task, "status", "running", "agentId", agent,
                    "description", "only in s2", "swarmId", "s2");
            batch.add(s2Task);
            ObjectNode explicitDefault = agentStatus(agent, "Default-last", "idle");
            explicitDefault.put("swarmId", "default");
            batch.add(explicitDefault);
            JsonNode accepted = Rest.expect(Http.postJson(port, "/api/events", batch), 202).json();
            long lastSeq = accepted.path("seqs").get(accepted.path("seqs").size() - 1).asLong();

            plain.awaitFrame(frame -> "Default-last".equals(frame.path("name").asString()));
            second.awaitFrame(frame -> task.equals(frame.path("taskId").asString()) && frame.has("seq"));
            assertThat(newestSeen(plain)).isEqualTo(lastSeq);

            // The default client: what it saw before swarms existed, no swarmId on any frame, nothing of s2.
            assertThat(plain.frames()).noneMatch(frame -> frame.has("swarmId"));
            assertThat(names(plain, agent)).containsExactly("Default-0", "Default-1", "Default-2", "Default-3",
                    "Default-4", "Default-5", "Default-6", "Default-7", "Default-8", "Default-9", "Default-last");
            assertThat(plain.events()).noneMatch(frame -> task.equals(frame.path("taskId").asString()));
            // The s2 client: only s2's events, each with its swarmId, in seq order.
            List<JsonNode> live = second.events();
            assertThat(live).isNotEmpty().allSatisfy(frame -> assertThat(frame.path("swarmId").asString()).isEqualTo("s2"));
            assertThat(names(second, agent)).startsWith("Second-0", "Second-1", "Second-2").contains("Second-9")
                    .noneMatch(name -> name.startsWith("Default"));
            assertStrictlyIncreasing(live);
            assertStrictlyIncreasing(plain.events());
            await(() -> second.framesOfType("metrics:update").stream().anyMatch(frame -> !frame.has("snapshot")));
            assertThat(second.framesOfType("metrics:update"))
                    .allSatisfy(frame -> assertThat(frame.path("swarmId").asString()).isEqualTo("s2"));
            assertThat(plain.framesOfType("metrics:update")).isNotEmpty();

            // State per swarm.
            JsonNode s2State = Http.get(port, "/api/state?swarm=s2").json();
            assertThat(s2State.path("swarmId").asString()).isEqualTo("s2");
            assertThat(agentNamed(s2State, agent).path("name").asString()).isEqualTo("Second-9");
            assertThat(agentNamed(s2State, agent).path("currentTask").asString()).isEqualTo(task);
            assertThat(ids(s2State.path("tasks"))).containsExactly(task);
            assertThat(s2State.path("topology").path("topology").asString()).isEqualTo("mesh");
            JsonNode defaultState = Http.get(port, "/api/state").json();
            assertThat(defaultState.has("swarmId")).isFalse();
            assertThat(agentNamed(defaultState, agent).path("name").asString()).isEqualTo("Default-last");
            assertThat(ids(defaultState.path("tasks"))).doesNotContain(task);
            assertThat(Http.get(port, "/api/state?swarm=default").json().path("agents"))
                    .isEqualTo(defaultState.path("agents"));

            // The command APIs take ?swarm= too.
            String spawned = Rest.unique("rest-s2");
            Rest.expect(Rest.post(port, "/api/agents?swarm=s2", object("id", spawned, "name", "Rest", "type", "tester")), 201);
            second.awaitFrame(frame -> spawned.equals(frame.path("agentId").asString()));
            assertThat(Http.get(port, "/api/agents/" + spawned + "?swarm=s2").status()).isEqualTo(200);
            assertThat(Http.get(port, "/api/agents/" + spawned).status()).isEqualTo(404);
            assertThat(Http.get(port, "/api/tasks/" + task + "?swarm=s2").json().path("status").asString()).isEqualTo("running");
            assertThat(Http.get(port, "/api/agents?swarm=nowhere").status()).isEqualTo(404);
            assertThat(plain.events()).noneMatch(frame -> spawned.equals(frame.path("agentId").asString()));

            JsonNode swarms = Http.get(port, "/api/swarms").json();
            assertThat(swarms.path("maxSwarms").asInt()).isEqualTo(3);
            Map<String, JsonNode> byId = new HashMap<>();
            swarms.path("swarms").forEach(entry -> byId.put(entry.path("id").asString(), entry));
            assertThat(swarms.path("swarms").get(0).path("id").asString()).isEqualTo("default");
            assertThat(byId.get("s2").path("agents").asInt())
                    .isEqualTo(Http.get(port, "/api/agents?swarm=s2").json().size()).isGreaterThanOrEqualTo(5);
            assertThat(byId.get("s2").path("tasks").asInt()).isEqualTo(1);
            assertThat(byId.get("s2").path("topology").asString()).isEqualTo("mesh");
        }
    }

    @Test
    void anUnknownSwarmIsAnErrorFrameOrA404AndABadIdIsRefused() {
        try (TestClient client = TestClient.connectWelcomed(port)) {
            client.sendJson(Map.of("type", "subscribe", "channel", "agents", "swarm", "nowhere"));
            JsonNode error = client.awaitType("error");
            assertThat(error.path("code").asString()).isEqualTo("unknown_swarm");
            assertThat(error.path("field").asString()).isEqualTo("swarm");
            assertThat(client.framesOfType("subscribed")).isEmpty();

            client.sendJson(Map.of("type", "subscribe", "channel", "agents", "swarm", "no spaces!"));
            JsonNode invalid = client.awaitType("error", 2);
            assertThat(invalid.path("code").asString()).isEqualTo("invalid_field");
            assertThat(invalid.path("field").asString()).isEqualTo("swarm");
            assertThat(client.isOpen()).isTrue();
        }
        Http.Response missing = Http.get(port, "/api/state?swarm=nowhere");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("code").asString()).isEqualTo("not_found");
        Http.Response bad = Http.get(port, "/api/state?swarm=" + "x".repeat(65));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("field").asString()).isEqualTo("swarm");
        ObjectNode badIngest = agentStatus(Rest.unique("a"), "A", "active");
        badIngest.put("swarmId", 7);
        Http.Response refused = Http.postJson(port, "/api/events", badIngest);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("field").asString()).isEqualTo("swarmId");
    }

    @Test
    void theNumberOfSwarmsIsCappedAndARefusedBatchTakesNothing() {
        for (String id : List.of("s2", "s3")) {
            ObjectNode event = agentStatus(Rest.unique("cap"), "Cap", "active");
            event.put("swarmId", id);
            Rest.expect(Http.postJson(port, "/api/events", event), 202);
        }
        long seqBefore = Rest.newestSeq(port);
        String agent = Rest.unique("never");
        ArrayNode batch = TestClient.JSON.createArrayNode();
        batch.add(agentStatus(agent, "Never", "active"));
        ObjectNode beyond = agentStatus(agent, "Never", "active");
        beyond.put("swarmId", "s4");
        batch.add(beyond);
        Http.Response refused = Http.postJson(port, "/api/events", batch);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().path("code").asString()).isEqualTo("too_many_swarms");
        assertThat(Rest.newestSeq(port)).isEqualTo(seqBefore);
        assertThat(Http.get(port, "/api/agents/" + agent).status()).isEqualTo(404);
        assertThat(Http.get(port, "/api/state?swarm=s4").status()).isEqualTo(404);
        Http.Response init = Rest.post(port, "/api/swarm/init", object("topology", "mesh", "size", 2, "swarmId", "s4"));
        assertThat(init.status()).isEqualTo(429);
        assertThat(init.json().path("code").asString()).isEqualTo("too_many_swarms");
    }

    @Test
    void resumeReplayAndTheClaudeFlowEndpointKeepToTheSwarm() {
        ObjectNode first = agentStatus(Rest.unique("r"), "Before", "active");
        first.put("swarmId", "s3");
        long from = Rest.expect(Http.postJson(port, "/api/events", first), 202).json().path("seqs").get(0).asLong();
        String inS3 = Rest.unique("s3-agent");
        String inDefault = Rest.unique("default-agent");
        Rest.expect(Http.postJson(port, "/event", object("channel", "agents", "type", "agent:spawned", "swarmId", "s3",
                "event", object("id", inS3, "name", "In-S3", "type", "coder"))), 202);
        Rest.expect(Http.postJson(port, "/event", object("channel", "agents", "type", "agent:spawned",
                "event", object("id", inDefault, "name", "In-Default", "type", "coder"))), 202);
        // A swarmId inside the event is the producer's own data (Claude Flow's events carry theirs): the default swarm.
        String viaEvent = Rest.unique("s3-event-field");
        Rest.expect(Http.postJson(port, "/event", object("channel", "agents", "type", "agent:spawned",
                "event", object("id", viaEvent, "name", "Via-Event", "type", "coder", "swarmId", "s3"))), 202);
        assertThat(Http.get(port, "/api/agents/" + viaEvent).status()).isEqualTo(200);
        String lastInS3 = Rest.unique("s3-last");
        Rest.expect(Http.postJson(port, "/event", object("channel", "agents", "type", "agent:spawned", "swarmId", "s3",
                "event", object("id", lastInS3, "name", "Last", "type", "coder"))), 202);

        try (TestClient resumed = TestClient.connectWelcomed(port)) {
            resumed.sendJson(Map.of("type", "subscribe", "channel", "agents", "swarm", "s3", "sinceSeq", from,
                    "snapshot", false));
            assertThat(resumed.awaitType("subscribed").path("recovered").asBoolean()).isTrue();
            resumed.awaitFrame(frame -> lastInS3.equals(frame.path("agentId").asString()));
            List<String> caughtUp = resumed.events().stream().map(frame -> frame.path("agentId").asString()).toList();
            assertThat(caughtUp).contains(inS3, lastInS3).doesNotContain(inDefault, viaEvent);
            assertThat(resumed.events()).allSatisfy(frame -> assertThat(frame.path("swarmId").asString()).isEqualTo("s3"));

            resumed.sendJson(Map.of("type", "replay", "sinceSeq", from - 1, "channels", List.of("agents")));
            JsonNode replay = resumed.awaitType("replay");
            List<String> replayed = new ArrayList<>();
            replay.path("events").forEach(frame -> replayed.add(frame.path("agentId").asString()));
            assertThat(replayed).contains(inS3, lastInS3).doesNotContain(inDefault, viaEvent);

            // Naming the default swarm moves the connection there: the s3 subscription ends.
            resumed.sendJson(Map.of("type", "subscribe", "channel", "agents", "swarm", "default", "snapshot", false));
            JsonNode moved = resumed.awaitType("subscribed", 2);
            assertThat(moved.has("swarm")).isFalse();
            int before = resumed.events().size();
            ObjectNode laterS3 = agentStatus(Rest.unique("late-s3"), "Late", "active");
            laterS3.put("swarmId", "s3");
            Rest.expect(Http.postJson(port, "/api/events", laterS3), 202);
            String laterDefault = Rest.spawnAgent(port, Rest.unique("late-default"), "Late", "coder");
            resumed.awaitFrame(frame -> laterDefault.equals(frame.path("agentId").asString()));
            assertThat(resumed.events().subList(before, resumed.events().size()))
                    .noneMatch(frame -> frame.has("swarmId"));
        }
    }

    @Test
    void timeTravelTracesAndPlaybackAgreeWithTheSwarms() {
        // The same agent id in two swarms, both in one trace; the s3 one is written last.
        String id = Rest.unique("twin");
        String traceId = Rest.unique("trace");
        ObjectNode inDefault = agentStatus(id, "Default-Twin", "active");
        inDefault.put("traceId", traceId);
        long defaultSeq = Rest.expect(Http.postJson(port, "/api/events", inDefault), 202).json().path("seqs").get(0).asLong();
        ObjectNode inS3 = agentStatus(id, "S3-Twin", "busy");
        inS3.put("traceId", traceId);
        inS3.put("swarmId", "s3");
        long s3Seq = Rest.expect(Http.postJson(port, "/api/events", inS3), 202).json().path("seqs").get(0).asLong();

        // The state at a point is the default swarm's: the s3 twin, though later, changes nothing in it.
        await(() -> Http.get(port, "/api/state?atSeq=" + s3Seq).status() == 200);
        JsonNode point = Http.get(port, "/api/state?atSeq=" + s3Seq).json();
        assertThat(agentNamed(point, id).path("name").asString()).isEqualTo("Default-Twin");
        assertThat(point.has("swarmId")).isFalse();
        assertThat(Http.get(port, "/api/state?atSeq=" + s3Seq + "&swarm=default").status()).isEqualTo(200);
        Http.Response otherSwarm = Http.get(port, "/api/state?atSeq=" + s3Seq + "&swarm=s3");
        assertThat(otherSwarm.status()).isEqualTo(400);
        assertThat(otherSwarm.json().path("code").asString()).isEqualTo("invalid_field");
        assertThat(otherSwarm.json().path("field").asString()).isEqualTo("swarm");

        // A trace spans swarms: both events, each frame with its swarm.
        JsonNode trace = Rest.expect(Http.get(port, "/api/trace/" + traceId), 200).json();
        assertThat(trace.path("events")).hasSize(2);
        assertThat(trace.path("events").get(0).has("swarmId")).isFalse();
        assertThat(trace.path("events").get(1).path("swarmId").asString()).isEqualTo("s3");

        // A playback plays the connection's swarm's events only, as live delivery would.
        try (TestClient player = TestClient.connectWelcomed(port)) {
            player.sendJson(Map.of("type", "subscribe", "channel", "agents", "swarm", "s3", "snapshot", false));
            player.awaitType("subscribed");
            player.sendJson(Map.of("type", "playback", "fromSeq", defaultSeq - 1, "toSeq", s3Seq, "speed", 0,
                    "channels", List.of("agents")));
            player.awaitFrame(frame -> "playback".equals(type(frame)) && "ended".equals(frame.path("status").asString()));
            List<JsonNode> played = player.frames().stream().filter(frame -> frame.path("playback").asBoolean()).toList();
            assertThat(played).extracting(frame -> frame.path("name").asString()).contains("S3-Twin")
                    .doesNotContain("Default-Twin");
            assertThat(played).allSatisfy(frame -> assertThat(frame.path("swarmId").asString()).isEqualTo("s3"));
        }
    }

    private static ObjectNode agentStatus(String id, String name, String status) {
        return object("type", "agent:status", "agentId", id, "name", name, "agentType", "coder", "status", status);
    }

    private static String type(JsonNode frame) {
        return frame.path("type").asString();
    }

    private static List<String> names(TestClient client, String agentId) {
        return client.events().stream().filter(frame -> agentId.equals(frame.path("agentId").asString()))
                .map(frame -> frame.path("name").asString()).toList();
    }

    private static long newestSeen(TestClient client) {
        return client.events().stream().mapToLong(frame -> frame.path("seq").asLong()).max().orElse(0);
    }

    private static void assertStrictlyIncreasing(List<JsonNode> events) {
        long previous = 0;
        for (JsonNode event : events) {
            long seq = event.path("seq").asLong();
            assertThat(seq).as("seq order").isGreaterThan(previous);
            previous = seq;
        }
    }

    private static List<String> ids(JsonNode array) {
        List<String> ids = new ArrayList<>();
        array.forEach(item -> ids.add(item.path("id").asString()));
        return ids;
    }

    private static JsonNode agentNamed(JsonNode state, String id) {
        for (JsonNode agent : state.path("agents")) {
            if (id.equals(agent.path("id").asString())) {
                return agent;
            }
        }
        throw new AssertionError("no agent " + id + " in " + state);
    }

    private static void await(java.util.concurrent.Callable<Boolean> condition) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(condition);
    }
}
