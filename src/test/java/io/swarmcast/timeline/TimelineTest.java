package io.swarmcast.timeline;

import io.swarmcast.event.AgentMetrics;
import io.swarmcast.event.AgentStatus;
import io.swarmcast.event.AgentStatusEvent;
import io.swarmcast.event.Channel;
import io.swarmcast.event.DashboardEvent;
import io.swarmcast.event.MemoryOperationEvent;
import io.swarmcast.event.MemoryOperationType;
import io.swarmcast.event.MessageSentEvent;
import io.swarmcast.event.MessageType;
import io.swarmcast.event.TaskStatus;
import io.swarmcast.event.TaskUpdateEvent;
import io.swarmcast.event.Topology;
import io.swarmcast.event.TopologyChangeEvent;
import io.swarmcast.log.InMemoryEventLog;
import io.swarmcast.log.StoredEvent;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The timeline against a real in-memory log, without a server: for every point, the state it answers equals a
 * fresh fold of the events up to that point (the property, exhaustively over 1,500 random events); checkpoints stay
 * within their bound; points before the retained history are refused with the oldest available.
 */
class TimelineTest {

    private static final long RETENTION = 300_000;

    @Test
    void everyPointEqualsAFreshFoldOfTheEventsUpToIt() {
        InMemoryEventLog log = new InMemoryEventLog(10_000);
        Timeline timeline = new Timeline(log, 50, 1_000, RETENTION);
        log.tail(timeline);
        Random random = new Random(11);
        for (int i = 0; i < 1_500; i++) {
            log.append(List.of(randomEvent(random, i)));
        }
        List<StoredEvent> events = log.readAfter(0, log.newestSeq(), Channel.DURABLE, Integer.MAX_VALUE).events();
        // The oracle: one fold of its own from seq 0, without checkpoints, frozen at every seq (O(1) each).
        TimelineFold oracle = TimelineFold.startingAt(0);
        for (long seq = 0; seq <= log.newestSeq(); seq++) {
            if (seq > 0) {
                oracle.apply(events.get((int) seq - 1));
            }
            assertThat(TimelineQuery.view(timeline.stateAt(seq), RETENTION)).as("seq %s", seq)
                    .isEqualTo(TimelineQuery.view(oracle.freeze(), RETENTION));
        }
        for (int i = 0; i < 300; i++) {
            long time = events.get(random.nextInt(events.size())).event().timestamp();
            assertThat(TimelineQuery.view(timeline.stateAtTime(time), RETENTION)).as("time %s", time)
                    .isEqualTo(TimelineQuery.view(TimelineOracle.foldUntilTime(events, time), RETENTION));
        }
        assertThat(timeline.checkpointCount()).isEqualTo(1_500 / 50 + 1);
    }

    @Test
    void checkpointsAreBoundedAndOlderPointsAreGone() {
        InMemoryEventLog log = new InMemoryEventLog(1_000);
        Timeline timeline = new Timeline(log, 100, 5, RETENTION);
        log.tail(timeline);
        Random random = new Random(3);
        for (int i = 0; i < 2_000; i++) {
            log.append(List.of(randomEvent(random, i)));
        }
        assertThat(timeline.checkpointCount()).isLessThanOrEqualTo(5);
        PointState oldest = timeline.oldestAvailable();
        assertThat(oldest.seq()).isEqualTo(1_600);
        assertThat(timeline.stateAt(1_600).seq()).isEqualTo(1_600);
        assertThat(timeline.stateAt(1_999).seq()).isEqualTo(1_999);
        assertThatThrownBy(() -> timeline.stateAt(1_599)).isInstanceOfSatisfying(PointUnavailableException.class, e -> {
            assertThat(e.getCode()).isEqualTo("history_trimmed");
            assertThat(e.getOldestSeq()).isEqualTo(1_600);
            assertThat(e.getOldestTime()).isEqualTo(oldest.maxTimestamp());
        });
        assertThatThrownBy(() -> timeline.stateAt(2_001)).isInstanceOfSatisfying(PointUnavailableException.class,
                e -> assertThat(e.getCode()).isEqualTo("beyond_head"));
        assertThatThrownBy(() -> timeline.stateAtTime(0)).isInstanceOf(PointUnavailableException.class);
    }

    @Test
    void aLongHistoryWithFewChangesKeepsItsCheckpointsSmall() {
        // 100,000 events over 200 agents: the newest checkpoint shares almost everything with the one before.
        InMemoryEventLog log = new InMemoryEventLog(100_000);
        Timeline timeline = new Timeline(log, 1_000, 1_000, RETENTION);
        log.tail(timeline);
        for (int i = 0; i < 100_000; i++) {
            log.append(List.of(AgentStatusEvent.builder().agentId("a-" + (i % 200)).status(AgentStatus.BUSY)
                    .timestamp(1_000_000L + i).build()));
        }
        assertThat(timeline.checkpointCount()).isEqualTo(101);
        assertThat(timeline.stateAt(54_321).agents()).hasSize(200);
        assertThat(timeline.stateAt(54_321).agents().get(0).lastActivity()).isEqualTo(1_000_000L + 54_200);
    }

    @Test
    void anotherSwarmsEventsMoveThePointButChangeNothing() {
        InMemoryEventLog log = new InMemoryEventLog(1_000);
        Timeline timeline = new Timeline(log, 2, 100, RETENTION);
        log.tail(timeline);
        log.append(List.of(AgentStatusEvent.builder().agentId("a1").name("Default").status(AgentStatus.IDLE)
                .timestamp(1_000L).build()));
        log.append(List.of(AgentStatusEvent.builder().agentId("a1").name("Other").status(AgentStatus.BUSY)
                .timestamp(2_000L).swarmId("s2").build()));
        log.append(List.of(AgentStatusEvent.builder().agentId("a2").name("Other only").status(AgentStatus.BUSY)
                .timestamp(3_000L).swarmId("s2").build()));

        PointState point = timeline.stateAt(3);
        assertThat(point.seq()).isEqualTo(3);
        assertThat(point.agents()).extracting(agent -> agent.id() + "/" + agent.name()).containsExactly("a1/Default");
        java.util.Map<String, Object> atThree = TimelineQuery.view(point, RETENTION);
        java.util.Map<String, Object> atOne = TimelineQuery.view(timeline.stateAt(1), RETENTION);
        for (String part : List.of("agents", "tasks", "topology", "memory")) {
            assertThat(atThree.get(part)).as(part).isEqualTo(atOne.get(part));
        }
    }

    static DashboardEvent randomEvent(Random random, int i) {
        long timestamp = 1_700_000_000_000L + i * 1_000L - random.nextInt(3) * 2_000L;
        String agent = "agent-" + random.nextInt(8);
        return switch (random.nextInt(6)) {
            case 0 -> AgentStatusEvent.builder().agentId(agent).name(agent.toUpperCase()).agentType("coder")
                    .status(AgentStatus.values()[random.nextInt(AgentStatus.values().length)])
                    .metrics(random.nextBoolean() ? null : AgentMetrics.builder().cpu(1.0).memory(2.0).messageCount(3L).build())
                    .timestamp(timestamp).build();
            case 1, 2 -> TaskUpdateEvent.builder().taskId("task-" + random.nextInt(20))
                    .status(TaskStatus.values()[random.nextInt(TaskStatus.values().length)])
                    .agentId(random.nextBoolean() ? agent : null).description("step " + i)
                    .endTime(random.nextBoolean() ? timestamp : null).timestamp(timestamp).build();
            case 3 -> new MessageSentEvent("m-" + i, agent, random.nextBoolean() ? "*" : "agent-" + random.nextInt(8),
                    MessageType.TASK, TestClient.JSON.valueToTree("hi"), 2, timestamp);
            case 4 -> MemoryOperationEvent.builder()
                    .operation(MemoryOperationType.values()[random.nextInt(MemoryOperationType.values().length)])
                    .namespace("ns").key("k" + random.nextInt(6)).value(TestClient.JSON.valueToTree(i))
                    .success(random.nextInt(5) > 0).timestamp(timestamp).build();
            default -> new TopologyChangeEvent(random.nextBoolean() ? Topology.MESH : Topology.HIERARCHICAL,
                    List.of(new TopologyChangeEvent.Node(agent, agent, "coder", "active")),
                    List.of(new TopologyChangeEvent.Edge(agent, "agent-0", "healthy")), timestamp);
        };
    }
}
