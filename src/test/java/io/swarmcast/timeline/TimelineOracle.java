package io.swarmcast.timeline;

import io.swarmcast.event.Channel;
import io.swarmcast.log.EventLog;
import io.swarmcast.log.StoredEvent;
import io.swarmcast.support.Http;
import io.swarmcast.support.TestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.swarmcast.support.ProtocolFixtures.publish;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The property of the timeline: the state the server answers for a point equals a fresh fold of the log's events up
 * to that point, computed here from scratch (no checkpoint), for random points. Shared by the in-memory and the Redis
 * tests.
 */
public final class TimelineOracle {

    private static final String[] KEYS = {"agents", "tasks", "topology", "metrics", "memory", "atSeq", "atTime"};

    private TimelineOracle() {
    }

    /** A fresh fold of the events with {@code seq <= upTo}. */
    static PointState foldUpTo(List<StoredEvent> events, long upTo) {
        TimelineFold fold = TimelineFold.startingAt(0);
        for (StoredEvent event : events) {
            if (event.seq() <= upTo) {
                fold.apply(event);
            }
        }
        return fold.freeze();
    }

    /** A fresh fold of the longest run of events from seq 1 whose timestamps are at or before {@code time}. */
    static PointState foldUntilTime(List<StoredEvent> events, long time) {
        TimelineFold fold = TimelineFold.startingAt(0);
        for (StoredEvent event : events) {
            if (event.event().timestamp() > time) {
                break;
            }
            fold.apply(event);
        }
        return fold.freeze();
    }

    /**
     * Asks the server for {@code samples} random seqs and as many random times of its whole log (which must still
     * hold seq 1), and checks each answer against a fresh fold.
     */
    public static void assertRandomPointsMatch(int port, ObjectMapper mapper, EventLog log, long retentionMillis,
                                               Random random, int samples) {
        long newest = log.newestSeq();
        List<StoredEvent> events = log.readAfter(0, newest, Channel.DURABLE, Integer.MAX_VALUE).events();
        assertThat(events).as("the whole log").hasSize((int) newest);
        for (int i = 0; i < samples; i++) {
            long seq = i == 0 ? newest : i == 1 ? 0 : random.nextLong(newest + 1);
            JsonNode answer = get(port, "/api/state?atSeq=" + seq);
            assertSame(answer, expected(mapper, foldUpTo(events, seq), retentionMillis), "atSeq=" + seq);
            assertThat(answer.path("seq").asLong()).isEqualTo(seq);

            long time = events.get(random.nextInt(events.size())).event().timestamp() + random.nextInt(3) - 1;
            JsonNode atTime = get(port, "/api/state?at=" + time);
            assertSame(atTime, expected(mapper, foldUntilTime(events, time), retentionMillis), "at=" + time);
        }
    }

    /** Written by the server's own mapper and read back as a client reads the answer, so numbers compare alike. */
    static JsonNode expected(ObjectMapper mapper, PointState state, long retentionMillis) {
        return TestClient.JSON.readTree(mapper.writeValueAsString(TimelineQuery.view(state, retentionMillis)));
    }

    static void assertSame(JsonNode answer, JsonNode expected, String point) {
        for (String key : KEYS) {
            assertThat(answer.path(key)).as("%s of the state at %s", key, point).isEqualTo(expected.path(key));
        }
    }

    static JsonNode get(int port, String path) {
        Http.Response response = Http.get(port, path);
        assertThat(response.status()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return response.json();
    }

    /**
     * Posts {@code count} random events in batches: agents changing status, tasks moving through their lifecycle
     * (some finishing long enough ago to leave the active set), messages, memory writes and deletes, topology
     * changes and metrics, with timestamps over the past hour that mostly grow.
     */
    public static void postRandomEvents(int port, Random random, String prefix, int count) {
        long start = System.currentTimeMillis() - 3_600_000L;
        List<ObjectNode> batch = new ArrayList<>();
        String[] agentStatus = {"spawning", "active", "idle", "busy", "error", "stopped"};
        String[] taskStatus = {"pending", "assigned", "running", "completed", "failed"};
        String[] ops = {"store", "update", "delete", "retrieve", "search"};
        for (int i = 0; i < count; i++) {
            long timestamp = start + i * 20_000L / Math.max(1, count / 100) - random.nextInt(3) * 1000L;
            String agent = prefix + "-agent-" + random.nextInt(6);
            ObjectNode event = switch (random.nextInt(7)) {
                case 0 -> TestClient.JSON.createObjectNode().put("type", "agent:status").put("agentId", agent)
                        .put("name", agent.toUpperCase()).put("agentType", "coder")
                        .put("status", agentStatus[random.nextInt(agentStatus.length)]);
                case 1, 2 -> {
                    ObjectNode task = TestClient.JSON.createObjectNode().put("type", "task:update")
                            .put("taskId", prefix + "-task-" + random.nextInt(12))
                            .put("status", taskStatus[random.nextInt(taskStatus.length)])
                            .put("description", "step " + i);
                    if (random.nextBoolean()) {
                        task.put("agentId", agent);
                    }
                    yield task;
                }
                case 3 -> TestClient.JSON.createObjectNode().put("type", "message:sent").put("messageId", prefix + "-m-" + i)
                        .put("source", agent).put("target", random.nextBoolean() ? "*" : prefix + "-agent-" + random.nextInt(6))
                        .put("messageType", "task").put("payload", "hello " + i);
                case 4 -> {
                    String op = ops[random.nextInt(ops.length)];
                    ObjectNode memory = TestClient.JSON.createObjectNode().put("type", "memory:operation")
                            .put("operation", op).put("namespace", prefix).put("latency", 1.0);
                    if (op.equals("search")) {
                        memory.put("query", "k");
                    } else {
                        memory.put("key", "key-" + random.nextInt(5));
                    }
                    if (op.equals("store") || op.equals("update")) {
                        memory.putObject("value").put("v", i);
                    }
                    yield memory;
                }
                case 5 -> {
                    ObjectNode topology = TestClient.JSON.createObjectNode().put("type", "topology:change")
                            .put("topology", random.nextBoolean() ? "mesh" : "hierarchical");
                    ArrayNode nodes = topology.putArray("nodes");
                    for (int n = 0; n < 3; n++) {
                        nodes.addObject().put("id", prefix + "-agent-" + n).put("name", "N" + n).put("type", "coder")
                                .put("status", "active");
                    }
                    topology.putArray("edges").addObject().put("source", prefix + "-agent-0")
                            .put("target", prefix + "-agent-1").put("health", "healthy");
                    yield topology;
                }
                default -> TestClient.JSON.createObjectNode().put("type", "metrics:update").put("activeAgents", 1)
                        .put("pendingTasks", 2).put("messagesPerSecond", 1.0).put("memoryOpsPerSecond", 1.0);
            };
            event.put("timestamp", timestamp);
            batch.add(event);
            if (batch.size() == 25) {
                publish(port, batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            publish(port, batch);
        }
    }
}
