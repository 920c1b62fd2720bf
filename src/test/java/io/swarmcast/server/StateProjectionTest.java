package io.swarmcast.server;

import io.swarmcast.SwarmcastProperties;
import io.swarmcast.event.AgentStatus;
import io.swarmcast.event.AgentStatusEvent;
import io.swarmcast.event.Channel;
import io.swarmcast.event.FrameCodec;
import io.swarmcast.event.TaskStatus;
import io.swarmcast.event.TaskUpdateEvent;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The snapshot keeps each entry's encoded frame: a subscription storm encodes nothing, and a change makes a
 * new frame for that entry only.
 */
class StateProjectionTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final FrameCodec codec = new FrameCodec(JSON, 4096);
    private final StateProjection state = new StateProjection(
            new SwarmcastProperties.Tasks(Duration.ofMinutes(5), 100), System::currentTimeMillis);

    private static AgentStatusEvent agent(String id, AgentStatus status, long timestamp) {
        return new AgentStatusEvent(id, null, null, status, null, null, null, timestamp);
    }

    private static JsonNode decoded(WireFrame frame) {
        return JSON.readTree(FakeFrameSocket.decode(frame.buffer()));
    }

    private List<WireFrame> frames(Channel channel) {
        return state.snapshot(channel).stream().map(entry -> entry.frame(codec)).toList();
    }

    @Test
    void everySubscriberGetsTheSameFramesUntilTheStateChanges() {
        state.dispatched(agent("a", AgentStatus.IDLE, 1));
        state.dispatched(agent("b", AgentStatus.BUSY, 2));

        List<WireFrame> first = frames(Channel.AGENTS);
        List<WireFrame> second = frames(Channel.AGENTS);
        assertThat(first).hasSize(2);
        for (int i = 0; i < first.size(); i++) {
            assertThat(second.get(i)).as("encoded once, shared").isSameAs(first.get(i));
        }
        JsonNode a = decoded(first.get(0));
        assertThat(a.path("agentId").asString()).isEqualTo("a");
        assertThat(a.path("snapshot").asBoolean()).isTrue();
        assertThat(a.has("seq")).isFalse();

        state.dispatched(agent("a", AgentStatus.BUSY, 3));
        List<WireFrame> afterChange = frames(Channel.AGENTS);
        assertThat(afterChange).hasSize(2);
        assertThat(afterChange.get(0)).as("a changed: a new frame").isNotSameAs(first.get(0));
        assertThat(decoded(afterChange.get(0)).path("status").asString()).isEqualTo("busy");
        assertThat(afterChange.get(1)).as("b is unchanged").isSameAs(first.get(1));

        state.dispatched(agent("b", AgentStatus.STOPPED, 4));
        assertThat(frames(Channel.AGENTS)).containsExactly(afterChange.get(0));
    }

    @Test
    void theTaskSnapshotStillForgetsFinishedTasksPastTheLimit() {
        StateProjection small = new StateProjection(new SwarmcastProperties.Tasks(Duration.ofMinutes(5), 2),
                System::currentTimeMillis);
        long now = System.currentTimeMillis();
        for (int i = 1; i <= 4; i++) {
            small.dispatched(new TaskUpdateEvent("t" + i, TaskStatus.COMPLETED, null, null, null, null, null, null,
                    null, null, null, now));
        }
        small.dispatched(new TaskUpdateEvent("open", TaskStatus.RUNNING, null, null, null, null, null, null, null,
                null, null, now));
        assertThat(small.snapshot(Channel.TASKS)).extracting(entry -> ((TaskUpdateEvent) entry.event()).taskId())
                .containsExactly("t3", "t4", "open");
    }
}
