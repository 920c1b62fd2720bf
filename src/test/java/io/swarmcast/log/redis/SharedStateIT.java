package io.swarmcast.log.redis;

import io.swarmcast.replica.ReplicatedState;
import io.swarmcast.support.Http;
import io.swarmcast.support.Rest;
import io.swarmcast.support.TestRedis;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static io.swarmcast.support.ProtocolFixtures.agent;
import static io.swarmcast.support.ProtocolFixtures.object;
import static io.swarmcast.support.ProtocolFixtures.publish;
import static io.swarmcast.support.ProtocolFixtures.task;
import static io.swarmcast.support.Rest.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The domain state is a fold of the shared log: what one instance's commands and ingest changed shows in every
 * instance's {@code GET /api/state} and memory, survives every instance being stopped, and reaches an instance
 * started after the log was trimmed, through the checkpoint.
 */
class SharedStateIT extends OneRedisServer {

    private static final Duration CONVERGE = Duration.ofSeconds(10);

    @Test
    void commandsOnEitherInstanceReachEveryInstanceAndOutliveThemAll() {
        String prefix = TestRedis.newKeyPrefix();
        JsonNode agreed;
        JsonNode agreedS2;
        JsonNode memoryAgreed;
        try (SwarmcastInstance a = SwarmcastInstance.start(redis, prefix, "a");
             SwarmcastInstance b = SwarmcastInstance.start(redis, prefix, "b")) {
            // Through A: a swarm (agents spawned, topology built), a task carried to running, memory, a message.
            expect(Rest.post(a.port, "/api/swarm/init", object().put("topology", "hierarchical").put("size", 3)), 201);
            Rest.spawnAgent(a.port, "worker-a", "Worker A", "coder");
            Rest.createTask(a.port, "task-a", "built on A");
            Rest.taskCommand(a.port, "task-a", "assign", object().put("agentId", "worker-a"));
            Rest.taskCommand(a.port, "task-a", "start", object());
            expect(Rest.put(a.port, "/api/memory/shared/plan", "{\"steps\":[1,2,3]}"), 201);
            expect(Rest.put(a.port, "/api/memory/shared/gone", "\"soon deleted\""), 201);
            expect(Rest.delete(a.port, "/api/memory/shared/gone"), 204);
            expect(Rest.post(a.port, "/api/messages", object().put("source", "worker-a").put("type", "broadcast")
                    .put("payload", "hello")), 201);
            // Through B, validated against B's fold of A's commands: the agent A spawned is known there.
            await().atMost(CONVERGE).until(() -> Http.get(b.port, "/api/agents/worker-a").status() == 200
                    && Http.get(b.port, "/api/agents/worker-a").json().path("metrics").path("messageCount").asLong() == 1);
            Rest.spawnAgent(b.port, "worker-b", "Worker B", "tester");
            Rest.createTask(b.port, "task-b", "built on B");
            Rest.taskCommand(b.port, "task-b", "assign", object().put("agentId", "worker-a"));
            expect(Rest.put(b.port, "/api/memory/shared/plan", "{\"steps\":[4]}"), 200);

            // A second swarm (docs/protocol.md 7.15): made on A, written to on B, with ids the default swarm uses too.
            expect(Rest.post(a.port, "/api/swarm/init", object().put("topology", "mesh").put("size", 2)
                    .put("swarmId", "s2")), 201);
            await().atMost(CONVERGE).until(() -> Http.get(b.port, "/api/state?swarm=s2").status() == 200
                    && Http.get(b.port, "/api/state?swarm=s2").json().path("topology").path("nodes").size() == 2);
            expect(Rest.post(b.port, "/api/agents?swarm=s2", object().put("id", "worker-a").put("name", "S2 Worker")
                    .put("type", "coder")), 201);
            expect(Rest.put(b.port, "/api/memory/shared/plan?swarm=s2", "{\"steps\":[\"s2\"]}"), 201);

            await().atMost(CONVERGE).untilAsserted(() -> assertThat(state(b.port)).isEqualTo(state(a.port)));
            await().atMost(CONVERGE).untilAsserted(() -> assertThat(state(b.port, "s2")).isEqualTo(state(a.port, "s2")));
            agreed = state(a.port);
            agreedS2 = state(a.port, "s2");
            memoryAgreed = memory(a.port);
            assertThat(ids(agreedS2.path("agents"))).contains("worker-a").hasSize(3);
            assertThat(byId(agreedS2.path("agents"), "worker-a").path("name").asString()).isEqualTo("S2 Worker");
            assertThat(byId(agreed.path("agents"), "worker-a").path("name").asString()).isEqualTo("Worker A");
            assertThat(agreedS2.path("topology").path("topology").asString()).isEqualTo("mesh");
            assertThat(expect(Http.get(a.port, "/api/memory/shared/plan?swarm=s2"), 200).json().path("value")
                    .path("steps").toString()).isEqualTo("[\"s2\"]");
            assertThat(memory(b.port)).isEqualTo(memoryAgreed);

            assertThat(ids(agreed.path("agents"))).contains("worker-a", "worker-b").hasSize(5);
            assertThat(ids(agreed.path("tasks"))).containsExactly("task-a", "task-b");
            JsonNode workerA = byId(agreed.path("agents"), "worker-a");
            assertThat(workerA.path("status").asString()).as("the later assignment (B's) wins").isEqualTo("busy");
            assertThat(workerA.path("currentTask").asString()).isEqualTo("task-b");
            assertThat(workerA.path("metrics").path("messageCount").asLong()).isEqualTo(1);
            assertThat(ids(agreed.path("topology").path("nodes"))).as("B's agent joined the swarm A made")
                    .contains("worker-a", "worker-b").hasSize(5);
            assertThat(memoryAgreed.path("results").size()).isEqualTo(1);
            assertThat(memoryAgreed.path("results").get(0).path("value").path("steps").toString()).isEqualTo("[4]");
        }
        try (SwarmcastInstance c = SwarmcastInstance.start(redis, prefix, "c")) {
            assertThat(state(c.port)).as("a new instance after every one stopped").isEqualTo(agreed);
            assertThat(state(c.port, "s2")).as("the second swarm too").isEqualTo(agreedS2);
            // A checkpoint's memory entry is a store event, which has no createdAt: it comes back as the last write's.
            assertThat(withoutCreatedAt(memory(c.port))).isEqualTo(withoutCreatedAt(memoryAgreed));
        }
    }

    @Test
    void anInstanceStartedAfterTheLogWasTrimmedStartsFromTheCheckpoint() {
        String prefix = TestRedis.newKeyPrefix();
        String[] settings = {"--swarmcast.history-size=1000", "--swarmcast.log.redis.checkpoint-interval=500ms"};
        try (SwarmcastInstance a = SwarmcastInstance.start(redis, prefix, "a", settings);
             SwarmcastInstance b = SwarmcastInstance.start(redis, prefix, "b", settings)) {
            int events = 0;
            for (int batch = 0; events < 10_000; batch++) {
                List<JsonNode> run = new ArrayList<>();
                for (int i = 0; i < 250; i++, events++) {
                    int n = events;
                    run.add(switch (n % 4) {
                        case 0 -> agent("agent-" + n % 40, n % 8 == 0 ? "busy" : "idle");
                        case 1 -> task("task-" + n % 120, n % 3 == 0 ? "running" : "pending");
                        case 2 -> memoryStore("key-" + n % 30, n);
                        default -> agent("agent-" + n % 40, "active").put("cpu", n % 100);
                    });
                }
                publish((batch % 2 == 0 ? a : b).port, run);
            }
            long newest = Rest.newestSeq(a.port);
            assertThat(newest).isGreaterThanOrEqualTo(10_000);
            await().atMost(CONVERGE).untilAsserted(() -> assertThat(state(b.port)).isEqualTo(state(a.port)));
            RedisEventLog log = a.bean(RedisEventLog.class);
            assertThat(log.oldestSeq()).as("the log was trimmed").isGreaterThan(newest - 2_000);
            // The checkpoint catches up within its interval once the burst is over.
            await().atMost(CONVERGE).until(() -> Math.max(a.bean(ReplicatedState.class).lastWrittenSeq(),
                    b.bean(ReplicatedState.class).lastWrittenSeq()) == newest);

            try (SwarmcastInstance late = SwarmcastInstance.start(redis, prefix, "late", settings)) {
                long loaded = late.bean(ReplicatedState.class).checkpointLoaded();
                assertThat(loaded).as("started from the checkpoint, newer than the oldest event held")
                        .isGreaterThanOrEqualTo(log.oldestSeq() - 1);
                assertThat(state(late.port)).isEqualTo(state(a.port));
                // A checkpoint's memory entry is a store event, which has no createdAt: it comes back as the last write's.
                assertThat(withoutCreatedAt(memory(late.port))).isEqualTo(withoutCreatedAt(memory(a.port)));
                assertThat(state(late.port).path("agents").size()).as("agent-0 .. agent-39 at n = 0 or 3 mod 4")
                        .isEqualTo(20);
                assertThat(memory(late.port).path("bulk").size()).as("key-0 .. key-28 at even n").isEqualTo(15);
            }
        }
    }

    private static ObjectNode memoryStore(String key, int n) {
        ObjectNode event = object().put("type", "memory:operation").put("operation", "store")
                .put("namespace", "bulk").put("key", key).put("latency", 1.0);
        event.putObject("value").put("n", n);
        return event;
    }

    /** GET /api/state without what is this instance's own (server id, metrics) or not carried by events (capabilities). */
    private static JsonNode state(int port) {
        return state(port, "default");
    }

    private static JsonNode state(int port, String swarm) {
        ObjectNode state = (ObjectNode) expect(Http.get(port, "/api/state?swarm=" + swarm), 200).json();
        state.remove("serverId");
        state.remove("seq"); // a memory search appends an event too
        state.remove("metrics");
        state.path("agents").forEach(agent -> ((ObjectNode) agent).remove("capabilities"));
        // Instances agree on every agent and task, not on the order they list them in: an instance lists an entity
        // where it first met it, and its own write of one can come before another instance's older one reaches it.
        sortById(state, "agents");
        sortById(state, "tasks");
        return state;
    }

    private static void sortById(ObjectNode state, String field) {
        List<JsonNode> entities = new ArrayList<>();
        state.path(field).forEach(entities::add);
        entities.sort(Comparator.comparing(entity -> entity.path("id").asString()));
        ArrayNode sorted = state.putArray(field);
        entities.forEach(sorted::add);
    }

    private static JsonNode memory(int port) {
        JsonNode shared = expect(Http.get(port, "/api/memory/shared"), 200).json();
        JsonNode bulk = expect(Http.get(port, "/api/memory/bulk"), 200).json();
        ObjectNode both = object();
        both.set("results", shared.path("results"));
        both.set("bulk", bulk.path("results"));
        return both;
    }

    private static JsonNode withoutCreatedAt(JsonNode memory) {
        memory.path("bulk").forEach(entry -> ((ObjectNode) entry).remove("createdAt"));
        memory.path("results").forEach(entry -> ((ObjectNode) entry).remove("createdAt"));
        return memory;
    }

    private static List<String> ids(JsonNode array) {
        List<String> ids = new ArrayList<>();
        array.forEach(node -> ids.add(node.path("id").asString()));
        return ids;
    }

    private static JsonNode byId(JsonNode array, String id) {
        for (JsonNode node : array) {
            if (id.equals(node.path("id").asString())) {
                return node;
            }
        }
        throw new AssertionError("no " + id + " in " + array);
    }
}
