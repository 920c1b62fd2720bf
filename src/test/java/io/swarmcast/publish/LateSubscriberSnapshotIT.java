package io.swarmcast.publish;

import io.swarmcast.support.Http;
import io.swarmcast.support.Rest;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.swarmcast.support.Rest.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Subscription snapshots (docs/protocol.md section 4) with the domain services behind them: a client that connects
 * to a running swarm gets the current agents, active tasks, topology and metrics as {@code snapshot:true}
 * frames before any live event, and, while another thread keeps changing things, nothing between the
 * snapshot and the live events is lost or repeated. Its own context: it compares against the whole event log.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"swarmcast.server-id=snapshot-it", "swarmcast.tasks.finished-retention=30m"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class LateSubscriberSnapshotIT {

    @LocalServerPort
    int port;

    @Test
    void aLateClientGetsAgentsTasksTopologyAndMetricsBeforeLiveEvents() {
        JsonNode swarm = Rest.expect(Rest.post(port, "/api/swarm/init", object("topology", "hierarchical", "size", 5)), 201).json();
        List<String> ids = new ArrayList<>();
        swarm.path("nodes").forEach(node -> ids.add(node.path("id").asString()));
        Rest.expect(Rest.delete(port, "/api/agents/" + ids.get(4)), 200);
        String pending = Rest.createTask(port, Rest.unique("pending"), "waits");
        String assigned = Rest.createTask(port, Rest.unique("assigned"), "assigned");
        Rest.taskCommand(port, assigned, "assign", object("agentId", ids.get(1)));
        String running = Rest.createTask(port, Rest.unique("running"), "runs");
        Rest.taskCommand(port, running, "assign", object("agentId", ids.get(2)));
        Rest.taskCommand(port, running, "start", object());
        Rest.taskCommand(port, running, "progress", object("progress", 30));
        String done = Rest.createTask(port, Rest.unique("done"), "done");
        Rest.taskCommand(port, done, "assign", object("agentId", ids.get(3)));
        Rest.taskCommand(port, done, "start", object());
        Rest.taskCommand(port, done, "complete", object());
        String failed = Rest.createTask(port, Rest.unique("failed"), "fails");
        Rest.taskCommand(port, failed, "fail", object("error", "no longer needed"));
        awaitFirstMetricsTick();

        Map<String, JsonNode> agentsNow = byId(Http.get(port, "/api/agents").json(), "id");
        agentsNow.values().removeIf(agent -> "stopped".equals(agent.path("status").asString()));
        Map<String, JsonNode> tasksNow = byId(Http.get(port, "/api/tasks").json(), "id");
        JsonNode topologyNow = Http.get(port, "/api/swarm").json();
        assertThat(agentsNow.keySet()).contains(ids.get(0), ids.get(1), ids.get(2), ids.get(3)).doesNotContain(ids.get(4));
        assertThat(tasksNow.keySet()).contains(pending, assigned, running, done, failed);

        try (TestClient late = TestClient.connectWelcomed(port)) {
            late.sendJson(Map.of("type", "subscribe", "channel", "*"));
            late.awaitType("subscribed");
            int expectedSnapshot = agentsNow.size() + tasksNow.size() + 2;
            await().atMost(Duration.ofSeconds(10)).until(() -> snapshotFrames(late).size() >= expectedSnapshot);
            // A live event after the snapshot marks its end.
            long seqBefore = Rest.newestSeq(port);
            String newcomer = Rest.spawnAgent(port, Rest.unique("newcomer"), "Newcomer", "reviewer");
            late.awaitFrame(frame -> newcomer.equals(frame.path("agentId").asString()) && !frame.has("snapshot"));

            List<JsonNode> frames = late.frames();
            assertThat(frames.get(0).path("type").asString()).isEqualTo("welcome");
            assertThat(frames.get(1).path("type").asString()).isEqualTo("subscribed");
            assertThat(frames.get(1).path("channels")).hasSize(6);
            List<JsonNode> snapshot = snapshotFrames(late);
            assertThat(snapshot).hasSize(expectedSnapshot);
            assertThat(frames.subList(2, 2 + expectedSnapshot)).as("the snapshot comes right after subscribed")
                    .isEqualTo(snapshot);
            for (JsonNode frame : frames.subList(2 + expectedSnapshot, frames.size())) {
                assertThat(frame.has("snapshot")).as("after the snapshot only live frames: " + frame).isFalse();
            }
            assertThat(snapshot).allSatisfy(frame -> assertThat(frame.has("seq")).isFalse());

            Map<String, JsonNode> snapshotAgents = byId(ofType(snapshot, "agent:status"), "agentId");
            assertThat(snapshotAgents.keySet()).isEqualTo(agentsNow.keySet());
            snapshotAgents.forEach((id, frame) -> {
                JsonNode agent = agentsNow.get(id);
                assertThat(frame.path("status").asString()).as(id).isEqualTo(agent.path("status").asString());
                assertThat(frame.path("name").asString()).as(id).isEqualTo(agent.path("name").asString());
                assertThat(frame.path("agentType").asString()).as(id).isEqualTo(agent.path("type").asString());
                assertThat(text(frame, "task")).as(id).isEqualTo(text(agent, "currentTask"));
                assertThat(frame.path("data").path("id").asString()).isEqualTo(id);
            });
            assertThat(snapshotAgents.get(ids.get(1)).path("status").asString()).isEqualTo("busy");
            assertThat(snapshotAgents.get(ids.get(1)).path("task").asString()).isEqualTo(assigned);

            Map<String, JsonNode> snapshotTasks = byId(ofType(snapshot, "task:update"), "taskId");
            assertThat(snapshotTasks.keySet()).isEqualTo(tasksNow.keySet());
            snapshotTasks.forEach((id, frame) -> {
                JsonNode task = tasksNow.get(id);
                assertThat(frame.path("status").asString()).as(id).isEqualTo(task.path("status").asString());
                assertThat(text(frame, "agentId")).as(id).isEqualTo(text(task, "assignedAgent"));
                assertThat(number(frame, "progress")).as(id).isEqualTo(number(task, "progress"));
                assertThat(frame.path("data").path("id").asString()).isEqualTo(id);
            });
            assertThat(snapshotTasks.get(running).path("progress").asInt()).isEqualTo(30);
            assertThat(snapshotTasks.get(failed).path("error").asString()).isEqualTo("no longer needed");

            List<JsonNode> topology = ofType(snapshot, "topology:change");
            assertThat(topology).hasSize(1);
            assertThat(topology.get(0).path("nodes")).isEqualTo(topologyNow.path("nodes"));
            assertThat(topology.get(0).path("edges")).isEqualTo(topologyNow.path("edges"));
            assertThat(ofType(snapshot, "metrics:update")).hasSize(1);

            JsonNode live = late.events().get(0);
            assertThat(live.path("agentId").asString()).isEqualTo(newcomer);
            assertThat(live.path("seq").asLong()).isEqualTo(seqBefore + 1);
        }

        // Asking for no snapshot gets none.
        try (TestClient bare = TestClient.connectWelcomed(port)) {
            bare.sendJson(Map.of("type", "subscribe", "channels", List.of("agents", "tasks", "topology"), "snapshot", false));
            bare.awaitType("subscribed");
            String marker = Rest.createTask(port, Rest.unique("marker"), "marker");
            bare.awaitFrame(frame -> marker.equals(frame.path("taskId").asString()));
            assertThat(snapshotFrames(bare)).isEmpty();
            assertThat(bare.events()).hasSize(1);
        }
    }

    @Test
    void nothingIsLostOrRepeatedWhileChangesRaceTheSubscribe() throws Exception {
        Rest.expect(Rest.post(port, "/api/swarm/init", object("topology", "hierarchical", "size", 3)), 201);
        awaitFirstMetricsTick();

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger steps = new AtomicInteger();
        CompletableFuture<Void> churn = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 150 && !stop.get(); i++) {
                String agent = Rest.spawnAgent(port, "churn-" + i, "Churn " + i, i % 2 == 0 ? "coder" : "tester");
                String task = Rest.createTask(port, "churn-task-" + i, "churn " + i);
                Rest.taskCommand(port, task, "assign", object("agentId", agent));
                Rest.taskCommand(port, task, "start", object());
                Rest.taskCommand(port, task, "progress", object("progress", 50));
                if (i % 4 != 3) {
                    Rest.taskCommand(port, task, "complete", object());
                }
                if (i % 3 == 2) {
                    Rest.expect(Rest.delete(port, "/api/agents/" + agent), 200);
                }
                steps.incrementAndGet();
            }
        });

        TestClient late;
        int atSubscribe;
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> steps.get() >= 3 || churn.isDone());
            late = TestClient.connectWelcomed(port);
            late.sendJson(Map.of("type", "subscribe", "channel", "*"));
            late.awaitType("subscribed");
            atSubscribe = steps.get();
            await().atMost(Duration.ofSeconds(30)).until(() -> steps.get() >= atSubscribe + 5 || churn.isDone());
        } finally {
            stop.set(true);
        }
        churn.get();
        assertThat(atSubscribe).as("the churn was still going when the client subscribed").isLessThan(150);
        assertThat(steps.get()).as("changes went on after the subscribe").isGreaterThan(atSubscribe);

        try (TestClient client = late; TestClient reader = TestClient.connectWelcomed(port)) {
            long newest = Rest.newestSeq(port);
            await().atMost(Duration.ofSeconds(20)).until(() -> !client.events().isEmpty()
                    && client.events().get(client.events().size() - 1).path("seq").asLong() >= newest);

            // Live events: after every snapshot frame, in seq order, every seq from the first one on.
            List<JsonNode> frames = client.frames();
            int lastSnapshot = -1;
            int firstLive = Integer.MAX_VALUE;
            for (int i = 0; i < frames.size(); i++) {
                JsonNode frame = frames.get(i);
                if (frame.path("snapshot").asBoolean(false)) {
                    lastSnapshot = i;
                } else if (frame.has("event") && firstLive == Integer.MAX_VALUE) {
                    firstLive = i;
                }
            }
            assertThat(lastSnapshot).as("a snapshot was sent").isPositive();
            assertThat(lastSnapshot).as("every snapshot frame before the first live frame").isLessThan(firstLive);
            List<JsonNode> live = client.events();
            List<Long> liveSeqs = live.stream().map(e -> e.path("seq").asLong()).toList();
            long first = liveSeqs.get(0);
            List<Long> contiguous = new ArrayList<>();
            for (long seq = first; seq <= newest; seq++) {
                contiguous.add(seq);
            }
            assertThat(liveSeqs).as("live seqs: increasing, no gap, no repeat").isEqualTo(contiguous);

            // The log's truth: every event from seq 1 on.
            reader.sendJson(Map.of("type", "replay", "sinceSeq", 0, "limit", 10000));
            JsonNode replay = reader.awaitType("replay");
            assertThat(replay.path("complete").asBoolean()).isTrue();
            assertThat(replay.path("fromSeq").asLong()).isEqualTo(1);
            assertThat(replay.path("toSeq").asLong()).isEqualTo(newest);
            List<JsonNode> log = new ArrayList<>();
            replay.path("events").forEach(log::add);
            List<JsonNode> logFromFirstLive = log.stream().filter(e -> e.path("seq").asLong() >= first).toList();
            assertThat(live).as("live frames are the log's frames").isEqualTo(logFromFirstLive);

            // The snapshot is exactly the state the log describes just before the first live event.
            State before = new State();
            log.stream().filter(e -> e.path("seq").asLong() < first).forEach(before::apply);
            State fromSnapshot = new State();
            frames.stream().filter(f -> f.path("snapshot").asBoolean(false)).forEach(fromSnapshot::apply);
            assertThat(fromSnapshot.agents).isEqualTo(before.agents);
            assertThat(fromSnapshot.tasks).isEqualTo(before.tasks);
            assertThat(fromSnapshot.topology).isEqualTo(before.topology);

            // Snapshot plus live events, merged by id, is the state the services hold.
            live.forEach(fromSnapshot::apply);
            JsonNode state = Rest.expect(Http.get(port, "/api/state"), 200).json();
            assertThat(state.path("seq").asLong()).isEqualTo(newest);
            Map<String, JsonNode> stateAgents = byId(state.path("agents"), "id");
            stateAgents.values().removeIf(agent -> "stopped".equals(agent.path("status").asString()));
            assertThat(fromSnapshot.agents.keySet()).isEqualTo(stateAgents.keySet());
            fromSnapshot.agents.forEach((id, frame) -> {
                JsonNode agent = stateAgents.get(id);
                assertThat(frame.path("status").asString()).as(id).isEqualTo(agent.path("status").asString());
                assertThat(text(frame, "task")).as(id).isEqualTo(text(agent, "currentTask"));
                assertThat(frame.path("name").asString()).as(id).isEqualTo(agent.path("name").asString());
                assertThat(frame.path("metrics").path("messageCount").asLong())
                        .isEqualTo(agent.path("metrics").path("messageCount").asLong());
            });
            Map<String, JsonNode> stateTasks = byId(state.path("tasks"), "id");
            assertThat(fromSnapshot.tasks.keySet()).isEqualTo(stateTasks.keySet());
            fromSnapshot.tasks.forEach((id, frame) -> {
                JsonNode task = stateTasks.get(id);
                assertThat(frame.path("status").asString()).as(id).isEqualTo(task.path("status").asString());
                assertThat(number(frame, "progress")).as(id).isEqualTo(number(task, "progress"));
                assertThat(text(frame, "agentId")).as(id).isEqualTo(text(task, "assignedAgent"));
            });
            assertThat(fromSnapshot.topology.path("nodes")).isEqualTo(state.path("topology").path("nodes"));
            assertThat(fromSnapshot.topology.path("edges")).isEqualTo(state.path("topology").path("edges"));
        }
    }

    /** Agents (not stopped), tasks and topology, folded from event frames by id, without seq or snapshot marks. */
    private static final class State {
        final Map<String, JsonNode> agents = new HashMap<>();
        final Map<String, JsonNode> tasks = new HashMap<>();
        JsonNode topology;

        void apply(JsonNode frame) {
            ObjectNode event = ((ObjectNode) frame).deepCopy();
            event.remove("seq");
            event.remove("id");
            event.remove("snapshot");
            switch (event.path("type").asString()) {
                case "agent:status" -> {
                    if ("stopped".equals(event.path("status").asString())) {
                        agents.remove(event.path("agentId").asString());
                    } else {
                        agents.put(event.path("agentId").asString(), event);
                    }
                }
                case "task:update" -> tasks.put(event.path("taskId").asString(), event);
                case "topology:change" -> topology = event;
                default -> {
                    // Messages, memory and metrics hold no state here.
                }
            }
        }
    }

    /** A field's text, or null when it is absent or null. */
    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    /** A field's whole number, or -1 when it is absent or null. */
    private static int number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? -1 : value.asInt();
    }

    private void awaitFirstMetricsTick() {
        try (TestClient watcher = TestClient.connectWelcomed(port)) {
            watcher.sendJson(Map.of("type", "subscribe", "channel", "metrics", "snapshot", false));
            watcher.awaitType("metrics:update");
        }
    }

    private static List<JsonNode> snapshotFrames(TestClient client) {
        return client.frames().stream().filter(frame -> frame.path("snapshot").asBoolean(false)).toList();
    }

    private static List<JsonNode> ofType(List<JsonNode> frames, String type) {
        return frames.stream().filter(frame -> type.equals(frame.path("type").asString())).toList();
    }

    private static Map<String, JsonNode> byId(Iterable<JsonNode> items, String idField) {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode item : items) {
            String id = item.path(idField).asString();
            assertThat(seen.add(id)).as("one entry per id: " + id).isTrue();
            byId.put(id, item);
        }
        return byId;
    }
}
