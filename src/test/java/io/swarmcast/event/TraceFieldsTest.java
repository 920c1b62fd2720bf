package io.swarmcast.event;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The causal link on the way in (the strict parser) and on the way out (the frame): docs/protocol.md 7.12.
 * A frame without a link must stay exactly as it was before links existed.
 */
class TraceFieldsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final EventParser parser = new EventParser(JSON, () -> 1_000L);
    private final FrameCodec codec = new FrameCodec(JSON, 4096);

    private DashboardEvent parse(String json) {
        return parser.parse(JSON.readTree(json));
    }

    @Test
    void everyTypedEventReadsTraceIdAndParentId() {
        List<String> events = List.of(
                "{\"type\":\"agent:status\",\"agentId\":\"a\",\"status\":\"busy\"",
                "{\"type\":\"task:update\",\"taskId\":\"t\",\"status\":\"running\"",
                "{\"type\":\"message:sent\",\"source\":\"a\",\"target\":\"b\",\"messageType\":\"task\"",
                "{\"type\":\"memory:operation\",\"operation\":\"store\",\"namespace\":\"n\",\"key\":\"k\"",
                "{\"type\":\"topology:change\",\"topology\":\"mesh\"",
                "{\"type\":\"metrics:update\",\"activeAgents\":1,\"pendingTasks\":0,\"messagesPerSecond\":0,\"memoryOpsPerSecond\":0");
        for (String event : events) {
            assertThat(parse(event + ",\"traceId\":\"task-17\",\"parentId\":\"msg-3\"}").trace())
                    .as(event).isEqualTo(new Trace("task-17", "msg-3"));
            assertThat(parse(event + "}").trace()).as("no link: no trace object at all").isNull();
        }
    }

    @Test
    void eitherIdAloneIsKept() {
        assertThat(parse("{\"type\":\"task:update\",\"taskId\":\"t\",\"status\":\"running\",\"parentId\":\"msg-3\"}").trace())
                .isEqualTo(new Trace(null, "msg-3"));
        assertThat(parse("{\"type\":\"task:update\",\"taskId\":\"t\",\"status\":\"running\",\"traceId\":\"x\",\"parentId\":null}").trace())
                .isEqualTo(new Trace("x", null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\"", "\"has space\"", "\"a/b\"", "\"caf\u00e9\"", "\"quote\\\"\"", "17", "true", "{}", "[\"a\"]"})
    void aMalformedIdIsRefusedNamingTheField(String value) {
        for (String field : List.of("traceId", "parentId")) {
            EventValidationException e = catchThrowableOfType(EventValidationException.class,
                    () -> parse("{\"type\":\"agent:status\",\"agentId\":\"a\",\"status\":\"busy\",\"" + field + "\":" + value + "}"));
            assertThat(e).as(field + " = " + value).isNotNull();
            assertThat(e.getField()).isEqualTo(field);
            assertThat(e.getMessage()).contains("128");
        }
    }

    @Test
    void idsAreBoundedAt128Characters() {
        String longest = "a".repeat(Trace.MAX_LENGTH);
        assertThat(parse("{\"type\":\"agent:status\",\"agentId\":\"a\",\"status\":\"busy\",\"traceId\":\"" + longest + "\"}")
                .trace().traceId()).isEqualTo(longest);
        EventValidationException e = catchThrowableOfType(EventValidationException.class, () ->
                parse("{\"type\":\"agent:status\",\"agentId\":\"a\",\"status\":\"busy\",\"traceId\":\"" + longest + "a\"}"));
        assertThat(e).isNotNull();
        assertThat(e.getField()).isEqualTo("traceId");
    }

    @Test
    void commonIdFormsAreAccepted() {
        for (String id : List.of("task-17", "0af7651916cd43dd8448eb211c80319c", "3f2b8c1e-0d4a-4c55-9b1e-6c0f7d2a9e11",
                "run_2026.11.30", "urn:swarm:task:17", "coder@swarm")) {
            assertThat(Trace.validId(id)).as(id).isTrue();
        }
    }

    @Test
    void theFrameCarriesTheLinkAfterTheEnvelopeAndOnlyWhenPresent() {
        AgentStatusEvent plain = new AgentStatusEvent("a", "A", "coder", AgentStatus.BUSY, "t", null, null, 5L);
        AgentStatusEvent traced = new AgentStatusEvent("a", "A", "coder", AgentStatus.BUSY, "t", null, null, 5L,
                new Trace("task-17", "msg-3"), null);
        String plainFrame = codec.write(plain, 9, false);
        String tracedFrame = codec.write(traced, 9, false);

        assertThat(plainFrame).doesNotContain("traceId").doesNotContain("parentId");
        assertThat(tracedFrame).contains("\"timestamp\":5,\"traceId\":\"task-17\",\"parentId\":\"msg-3\",\"agentId\":\"a\"");
        assertThat(tracedFrame.replace("\"traceId\":\"task-17\",\"parentId\":\"msg-3\",", ""))
                .as("the link is the only difference").isEqualTo(plainFrame);
        JsonNode data = JSON.readTree(tracedFrame).path("data");
        assertThat(data.has("traceId")).as("top level only: data stays the dashboard's view").isFalse();
    }

    @Test
    void aTracedEventOfAnotherSwarmCarriesTheLinkThenTheSwarm() {
        AgentStatusEvent both = new AgentStatusEvent("a", "A", "coder", AgentStatus.BUSY, "t", null, null, 5L,
                new Trace("task-17", "msg-3"), "s2");
        assertThat(codec.write(both, 9, false))
                .contains("\"timestamp\":5,\"traceId\":\"task-17\",\"parentId\":\"msg-3\",\"swarmId\":\"s2\",\"agentId\":\"a\"");
    }

    @Test
    void aLoneParentIdIsWrittenAlone() {
        TaskUpdateEvent task = new TaskUpdateEvent("t", TaskStatus.RUNNING, null, null, null, null, null, null, null,
                null, null, 5L, new Trace(null, "msg-3"), null);
        JsonNode frame = JSON.readTree(codec.write(task, 3, false));
        assertThat(frame.has("traceId")).isFalse();
        assertThat(frame.path("parentId").asString()).isEqualTo("msg-3");
    }

    @Test
    void snapshotAndPassThroughFramesCarryTheLinkToo() {
        PassThroughEvent passThrough = new PassThroughEvent("consensus", Channel.TOPOLOGY,
                JSON.createObjectNode().put("round", 1), 5L, new Trace("r-1", null), null);
        assertThat(JSON.readTree(codec.write(passThrough, 4, false)).path("traceId").asString()).isEqualTo("r-1");
        TopologyChangeEvent topology = new TopologyChangeEvent(Topology.MESH, List.of(), List.of(), 5L, new Trace("r-1", "x"), null);
        JsonNode snapshot = JSON.readTree(codec.write(topology, 0, true));
        assertThat(snapshot.path("snapshot").asBoolean()).isTrue();
        assertThat(snapshot.path("traceId").asString()).isEqualTo("r-1");
    }
}
