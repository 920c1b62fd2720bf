package io.swarmcast.log;

import io.swarmcast.event.AgentMetrics;
import io.swarmcast.event.AgentStatus;
import io.swarmcast.event.AgentStatusEvent;
import io.swarmcast.event.Channel;
import io.swarmcast.event.DashboardEvent;
import io.swarmcast.event.MemoryOperationEvent;
import io.swarmcast.event.MemoryOperationType;
import io.swarmcast.event.MessageSentEvent;
import io.swarmcast.event.MessageType;
import io.swarmcast.event.PassThroughEvent;
import io.swarmcast.event.TaskStatus;
import io.swarmcast.event.TaskUpdateEvent;
import io.swarmcast.event.Topology;
import io.swarmcast.event.TopologyChangeEvent;
import io.swarmcast.event.Trace;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a shared log stores must read back as the very event appended, large values and nulls included. */
class EventJsonTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final EventJson codec = new EventJson();

    static Stream<DashboardEvent> events() {
        ObjectNode data = JSON.createObjectNode().put("round", 3).put("leader", "coder-1");
        data.putNull("nothing");
        String big = "x".repeat(20_000);
        return Stream.of(
                new AgentStatusEvent("coder-1", "Coder", "coder", AgentStatus.BUSY, "task-7",
                        new AgentMetrics(12.5, 180.0, 31L, 4L, 1L), 1_700_000_000_000L, 1_764_085_000_000L),
                new AgentStatusEvent("bare", null, null, AgentStatus.SPAWNING, null, null, null, 5L),
                new TaskUpdateEvent("task-7", TaskStatus.RUNNING, "coder-1", "Write it", 40, null, 10L, null, 9L,
                        "code", "high", 11L),
                new MessageSentEvent("msg-1", "a", "b", MessageType.QUERY, JSON.getNodeFactory().textNode(big),
                        20_002, 12L),
                new MessageSentEvent("msg-2", "a", "*", MessageType.BROADCAST, null, 0, 13L),
                new MemoryOperationEvent(MemoryOperationType.STORE, "ns", "k", null, data, 1, false, 0.25, null,
                        null, "coder-1", 14L),
                new TopologyChangeEvent(Topology.MESH, List.of(new TopologyChangeEvent.Node("a", "A", "coder", "idle")),
                        List.of(new TopologyChangeEvent.Edge("a", "b", "healthy")), 15L),
                new PassThroughEvent("consensus", Channel.TOPOLOGY, data, 16L),
                // Causal links (docs/protocol.md 7.12) survive the store: both ids, or only a parent.
                new AgentStatusEvent("coder-1", "Coder", "coder", AgentStatus.BUSY, "task-7", null, null, 17L,
                        new Trace("task-17", "msg-3"), null),
                new TaskUpdateEvent("task-7", TaskStatus.RUNNING, null, null, null, null, null, null, null, null, null,
                        18L, new Trace("task-17", null), null),
                new MessageSentEvent("msg-3", "a", "b", MessageType.TASK, null, 0, 19L, new Trace(null, "msg-2"), null),
                new MemoryOperationEvent(MemoryOperationType.STORE, "ns", "k", null, data, null, null, 0, null, null,
                        null, 20L, new Trace("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"), null),
                new TopologyChangeEvent(Topology.MESH, List.of(), List.of(), 21L, new Trace("t", "p"), null),
                new PassThroughEvent("consensus", Channel.TOPOLOGY, data, 22L, new Trace("t", null), null),
                // Another swarm's events keep their swarmId (docs/protocol.md 7.15); the default swarm's store none.
                new AgentStatusEvent("coder-1", "Coder", "coder", AgentStatus.BUSY, null, null, null, 23L).withSwarmId("s2"),
                // Both at once: a traced event of another swarm.
                new MessageSentEvent("msg-4", "a", "b", MessageType.TASK, null, 0, 26L, new Trace("t", "msg-3"), "s2"),
                new TopologyChangeEvent(Topology.MESH, List.of(), List.of(), 24L).withSwarmId("s2"),
                new PassThroughEvent("consensus", Channel.TOPOLOGY, data, 25L).withSwarmId("s2"));
    }

    @org.junit.jupiter.api.Test
    void theDefaultSwarmStoresNoSwarmId() {
        assertThat(codec.write(new AgentStatusEvent("bare", null, null, AgentStatus.IDLE, null, null, null, 5L)))
                .doesNotContain("swarmId");
        assertThat(codec.write(new TaskUpdateEvent("t", TaskStatus.PENDING, null, "d", null, null, null, null, null,
                null, null, 1L).withSwarmId("s-2.x"))).contains("\"swarmId\":\"s-2.x\"");
    }

    @ParameterizedTest
    @MethodSource("events")
    void readsBackTheEventWritten(DashboardEvent event) {
        String json = codec.write(event);
        assertThat(codec.read(codec.kind(event), json)).isEqualTo(event);
    }

    @org.junit.jupiter.api.Test
    void refusesWhatItDidNotWrite() {
        assertThatThrownBy(() -> codec.read("agent:status", "{\"agentId\":")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.read("nope", "{}")).isInstanceOf(IllegalArgumentException.class);
    }
}
