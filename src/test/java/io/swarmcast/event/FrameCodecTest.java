package io.swarmcast.event;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The combined frame of docs/protocol.md section 2 (flat fields, envelope and the dashboard's {@code data} view),
 * large values cut to the byte limit without ever splitting a character, and the message content preview.
 */
class FrameCodecTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int LIMIT = 64;
    private static final String EMOJI = "\uD83D\uDE00"; // one code point, two chars, four UTF-8 bytes

    private final FrameCodec codec = new FrameCodec(JSON, LIMIT);

    private JsonNode frame(DashboardEvent event, long seq, boolean snapshot) {
        return JSON.readTree(codec.write(event, seq, snapshot));
    }

    private static MessageSentEvent message(JsonNode payload) {
        return new MessageSentEvent("m1", "a1", "a2", MessageType.RESPONSE, payload, 123, 1000);
    }

    private static boolean hasLoneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static int utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void agentFrameCarriesFlatFieldsEnvelopeAndDashboardView() {
        AgentStatusEvent agent = new AgentStatusEvent("coder-1", "Coder-Alpha", "coder", AgentStatus.BUSY, "task-7",
                new AgentMetrics(12.5, 180.0, 31L, 4L, null), 50L, 1_764_085_000_000L);
        JsonNode f = frame(agent, 42, false);

        assertThat(f.path("type").asString()).isEqualTo("agent:status");
        assertThat(f.path("event").asString()).isEqualTo("agent:status");
        assertThat(f.path("channel").asString()).isEqualTo("agents");
        assertThat(f.path("seq").asLong()).isEqualTo(42);
        assertThat(f.path("id").asString()).isEqualTo("evt-42");
        assertThat(f.path("timestamp").asLong()).isEqualTo(1_764_085_000_000L);
        assertThat(f.has("snapshot")).isFalse();
        assertThat(f.path("agentId").asString()).isEqualTo("coder-1");
        assertThat(f.path("agentType").asString()).isEqualTo("coder");
        assertThat(f.path("status").asString()).isEqualTo("busy");
        assertThat(f.path("task").asString()).isEqualTo("task-7");
        assertThat(f.path("metrics").path("cpu").asDouble()).isEqualTo(12.5);
        assertThat(f.path("metrics").has("cpuPercent")).isFalse();

        JsonNode data = f.path("data");
        assertThat(data.path("id").asString()).isEqualTo("coder-1");
        assertThat(data.path("type").asString()).isEqualTo("coder");
        assertThat(data.path("currentTask").asString()).isEqualTo("task-7");
        assertThat(data.path("createdAt").asLong()).isEqualTo(50);
        assertThat(data.path("lastActivity").asLong()).isEqualTo(1_764_085_000_000L);
        assertThat(data.path("metrics").path("cpuPercent").asDouble()).isEqualTo(12.5);
        assertThat(data.path("metrics").path("memoryUsageMb").asDouble()).isEqualTo(180.0);
        assertThat(data.path("metrics").path("tasksCompleted").asLong()).isEqualTo(4);
        assertThat(data.path("metrics").has("tasksFailed")).isFalse();
    }

    @Test
    void anotherSwarmsFrameNamesItsSwarmAndTheDefaultSwarmsDoesNot() {
        AgentStatusEvent event = AgentStatusEvent.builder().agentId("coder-1").status(AgentStatus.BUSY).timestamp(5L).build();
        assertThat(codec.write(event, 3, false)).doesNotContain("swarmId");
        JsonNode frame = JSON.readTree(codec.write(event.withSwarmId("s2"), 3, false));
        assertThat(frame.path("swarmId").asString()).isEqualTo("s2");
        assertThat(frame.path("data").has("swarmId")).isFalse();
        List<String> names = new java.util.ArrayList<>();
        frame.properties().forEach(entry -> names.add(entry.getKey()));
        assertThat(names.indexOf("swarmId")).as("after timestamp, before the flat fields")
                .isEqualTo(names.indexOf("timestamp") + 1).isLessThan(names.indexOf("agentId"));
    }

    @Test
    void agentViewCountsTheCurrentTaskForTheDashboardsCard() {
        AgentStatusEvent working = AgentStatusEvent.builder().agentId("a1").status(AgentStatus.ACTIVE).task("t9")
                .timestamp(5).build();
        AgentStatusEvent free = AgentStatusEvent.builder().agentId("a1").status(AgentStatus.ACTIVE).timestamp(6).build();

        assertThat(frame(working, 1, false).path("data").path("currentTaskCount").asInt()).isEqualTo(1);
        JsonNode freeData = frame(free, 2, false).path("data");
        assertThat(freeData.has("currentTaskCount")).as("sent as 0, so a merging store forgets the old count").isTrue();
        assertThat(freeData.path("currentTaskCount").asInt()).isZero();
        assertThat(freeData.has("currentTask")).isFalse();
    }

    @Test
    void messageViewCarriesThePostedSizeAsMetadataSize() {
        JsonNode f = frame(message(StringNode.valueOf("hi")), 3, false);
        assertThat(f.path("size").asLong()).isEqualTo(123);
        assertThat(f.path("data").path("size").asLong()).isEqualTo(123);
        assertThat(f.path("data").path("metadata").path("size").asLong())
                .as("the posted size, not the content length %d", f.path("data").path("content").asString().length())
                .isEqualTo(123);
    }

    @Test
    void retrieveCarriesItsCacheHitInBothViews() {
        MemoryOperationEvent hit = new MemoryOperationEvent(MemoryOperationType.RETRIEVE, "ns", "k", null, null, null,
                true, 0.2, true, null, null, 10);
        JsonNode f = frame(hit, 4, false);
        assertThat(f.path("cacheHit").asBoolean()).isTrue();
        assertThat(f.path("data").path("cacheHit").asBoolean()).isTrue();
        assertThat(f.path("data").path("operation").asString()).isEqualTo("retrieve");
    }

    @Test
    void snapshotAndEphemeralFramesHaveNoSeq() {
        MetricsUpdateEvent metrics = new MetricsUpdateEvent(1, 2, 3.0, 4.0, null, null, 9);
        JsonNode f = frame(metrics, 0, true);
        assertThat(f.has("seq")).isFalse();
        assertThat(f.has("id")).isFalse();
        assertThat(f.path("snapshot").asBoolean()).isTrue();
        assertThat(f.path("data").path("activeAgents").asInt()).isEqualTo(1);
        assertThat(f.path("pendingTasks").asInt()).isEqualTo(2);
    }

    @Test
    void taskViewUsesTheDashboardNames() {
        TaskUpdateEvent task = new TaskUpdateEvent("t1", TaskStatus.COMPLETED, "a1", null, 100, null, 10L, 20L, 5L, "code",
                "high", 30);
        JsonNode f = frame(task, 7, false);
        assertThat(f.path("description").asString()).isEmpty();
        assertThat(f.path("startTime").asLong()).isEqualTo(10);
        JsonNode data = f.path("data");
        assertThat(data.path("id").asString()).isEqualTo("t1");
        assertThat(data.path("assignedAgent").asString()).isEqualTo("a1");
        assertThat(data.path("startedAt").asLong()).isEqualTo(10);
        assertThat(data.path("completedAt").asLong()).isEqualTo(20);
        assertThat(data.path("type").asString()).isEqualTo("code");
        assertThat(data.path("priority").asString()).isEqualTo("high");
    }

    @Test
    void passThroughFrameCarriesTheProducersBodyUntouched() {
        ObjectNode body = JSON.createObjectNode().put("swarmId", "s1").put("anything", 3);
        body.putArray("nested").add("x");
        JsonNode f = frame(new PassThroughEvent("consensus", Channel.TOPOLOGY, body, 77), 9, false);
        assertThat(f.path("type").asString()).isEqualTo("consensus");
        assertThat(f.path("event").asString()).isEqualTo("consensus");
        assertThat(f.path("channel").asString()).isEqualTo("topology");
        assertThat(f.path("seq").asLong()).isEqualTo(9);
        assertThat(f.path("timestamp").asLong()).isEqualTo(77);
        assertThat(f.path("data")).isEqualTo(body);
    }

    @Test
    void smallPayloadIsKeptWholeInBothViews() {
        ObjectNode payload = JSON.createObjectNode().put("answer", 42);
        JsonNode f = frame(message(payload), 1, false);
        assertThat(f.path("payload")).isEqualTo(payload);
        assertThat(f.path("data").path("data")).isEqualTo(payload);
        assertThat(f.has("truncated")).isFalse();
        assertThat(f.path("data").path("content").asString()).isEqualTo("{\"answer\":42}");
        assertThat(f.path("data").path("direction").asString()).isEqualTo("internal");
        assertThat(f.path("data").path("type").asString()).isEqualTo("response");
    }

    @Test
    void payloadExactlyAtTheLimitIsNotCut() {
        String text = "x".repeat(LIMIT);
        JsonNode f = frame(message(StringNode.valueOf(text)), 1, false);
        assertThat(f.path("payload").asString()).isEqualTo(text);
        assertThat(f.has("truncated")).isFalse();
    }

    @Test
    void payloadOverTheLimitIsCutToTheLimitAndMarked() {
        String text = "y".repeat(LIMIT + 1);
        JsonNode f = frame(message(StringNode.valueOf(text)), 1, false);
        assertThat(f.path("truncated").asBoolean()).isTrue();
        assertThat(f.path("payload").asString()).isEqualTo("y".repeat(LIMIT));
        assertThat(f.path("data").path("data").asString()).isEqualTo("y".repeat(LIMIT));
        // The size reported is the producer's, not the cut one.
        assertThat(f.path("size").asLong()).isEqualTo(123);
    }

    @Test
    void objectPayloadOverTheLimitBecomesItsCutJsonText() {
        ObjectNode payload = JSON.createObjectNode().put("text", "z".repeat(200));
        JsonNode f = frame(message(payload), 1, false);
        assertThat(f.path("truncated").asBoolean()).isTrue();
        String cut = f.path("payload").asString();
        assertThat(utf8(cut)).isEqualTo(LIMIT);
        assertThat(JSON.writeValueAsString(payload)).startsWith(cut);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void cutNeverSplitsASurrogatePair(int offset) {
        // Emoji after 'offset' ASCII chars, so the limit falls at every position inside a 4-byte character.
        String text = "a".repeat(offset) + EMOJI.repeat(40);
        JsonNode f = frame(message(StringNode.valueOf(text)), 1, false);
        String cut = f.path("payload").asString();
        assertThat(f.path("truncated").asBoolean()).isTrue();
        assertThat(hasLoneSurrogate(cut)).as("lone surrogate in %s", cut).isFalse();
        assertThat(utf8(cut)).isLessThanOrEqualTo(LIMIT).isGreaterThan(LIMIT - 4);
        assertThat(text).startsWith(cut);
    }

    @Test
    void prefixWithinBytesCountsUtf8Bytes() {
        assertThat(FrameCodec.prefixWithinBytes("abc", 3)).isEqualTo("abc");
        assertThat(FrameCodec.prefixWithinBytes("abc", 2)).isEqualTo("ab");
        assertThat(FrameCodec.prefixWithinBytes("\u00e9\u00e9", 3)).isEqualTo("\u00e9"); // 2 bytes each
        assertThat(FrameCodec.prefixWithinBytes("\u20ac\u20ac", 5)).isEqualTo("\u20ac"); // 3 bytes each
        assertThat(FrameCodec.prefixWithinBytes(EMOJI, 3)).isEmpty();
        assertThat(FrameCodec.prefixWithinBytes(EMOJI, 4)).isEqualTo(EMOJI);
        assertThat(FrameCodec.prefixWithinBytes("a" + EMOJI + "b", 5)).isEqualTo("a" + EMOJI);
        assertThat(FrameCodec.prefixWithinBytes("", 10)).isEmpty();
    }

    @Test
    void memoryValueOverTheLimitIsCutAndMarkedAndTheViewGetsTheLogId() {
        MemoryOperationEvent memory = new MemoryOperationEvent(MemoryOperationType.STORE, "ns", "k", null,
                StringNode.valueOf("v".repeat(LIMIT * 2)), null, false, 1.5, null, null, "a1", 10);
        JsonNode f = frame(memory, 12, false);
        assertThat(f.path("truncated").asBoolean()).isTrue();
        assertThat(f.path("value").asString()).hasSize(LIMIT);
        JsonNode data = f.path("data");
        assertThat(data.path("value").asString()).hasSize(LIMIT);
        assertThat(data.path("id").asString()).isEqualTo("evt-12");
        assertThat(data.path("success").asBoolean()).isTrue();
        assertThat(data.path("latency").asDouble()).isEqualTo(1.5);
        assertThat(data.path("cacheHit").asBoolean()).isFalse();
    }

    @Test
    void failedMemoryOperationIsNotASuccess() {
        MemoryOperationEvent memory = new MemoryOperationEvent(MemoryOperationType.RETRIEVE, "ns", "k", null, null, null,
                null, 0, false, "missing", null, 10);
        JsonNode data = frame(memory, 0, false).path("data");
        assertThat(data.path("success").asBoolean()).isFalse();
        assertThat(data.path("error").asString()).isEqualTo("missing");
        assertThat(data.has("id")).isFalse();
    }

    @Test
    void contentPreviewIsTextOfAtMost500Chars() {
        String longText = "p".repeat(FrameCodec.CONTENT_PREVIEW_CHARS + 100);
        FrameCodec roomy = new FrameCodec(JSON, 1 << 20);
        JsonNode f = JSON.readTree(roomy.write(message(StringNode.valueOf(longText)), 1, false));
        assertThat(f.path("data").path("content").isString()).isTrue();
        assertThat(f.path("data").path("content").asString()).isEqualTo("p".repeat(FrameCodec.CONTENT_PREVIEW_CHARS));
        // The payload itself is under the byte limit and stays whole.
        assertThat(f.path("payload").asString()).isEqualTo(longText);
    }

    @Test
    void contentPreviewOfAnObjectIsItsJsonText() {
        ObjectNode payload = JSON.createObjectNode().put("q", "status?");
        JsonNode f = frame(message(payload), 1, false);
        assertThat(f.path("data").path("content").isString()).isTrue();
        assertThat(JSON.readTree(f.path("data").path("content").asString())).isEqualTo(payload);
    }

    @Test
    void contentPreviewOfNoPayloadIsAnEmptyString() {
        JsonNode f = frame(message(null), 1, false);
        assertThat(f.path("data").path("content").isString()).isTrue();
        assertThat(f.path("data").path("content").asString()).isEmpty();
        assertThat(f.has("payload")).isFalse();
        JsonNode nullPayload = frame(message(JsonNodeFactory.instance.nullNode()), 1, false);
        assertThat(nullPayload.path("data").path("content").asString()).isEmpty();
    }

    @Test
    void contentPreviewNeverSplitsASurrogatePair() {
        // The 500th char is the first half of an emoji: the preview must stop before it, not in it.
        String text = "c".repeat(FrameCodec.CONTENT_PREVIEW_CHARS - 1) + EMOJI + "tail";
        FrameCodec roomy = new FrameCodec(JSON, 1 << 20);
        String written = roomy.write(message(StringNode.valueOf(text)), 1, false);
        String content = JSON.readTree(written).path("data").path("content").asString();
        assertThat(hasLoneSurrogate(content)).isFalse();
        assertThat(content.length()).isLessThanOrEqualTo(FrameCodec.CONTENT_PREVIEW_CHARS);
        assertThat(text).startsWith(content);
        assertThat(content).isEqualTo("c".repeat(FrameCodec.CONTENT_PREVIEW_CHARS - 1));
        // The frame as a whole must be valid UTF-16, or it cannot be sent as a WebSocket text frame.
        assertThat(hasLoneSurrogate(written)).isFalse();
    }

    @Test
    void topologyFrameRepeatsItsFieldsInData() {
        TopologyChangeEvent topology = new TopologyChangeEvent(Topology.HIERARCHICAL,
                List.of(new TopologyChangeEvent.Node("q", "Queen", "coordinator", "active")),
                List.of(new TopologyChangeEvent.Edge("q", "w", "healthy")), 5);
        JsonNode f = frame(topology, 3, false);
        assertThat(f.path("topology").asString()).isEqualTo("hierarchical");
        assertThat(f.path("nodes").get(0).path("name").asString()).isEqualTo("Queen");
        assertThat(f.path("data").path("nodes")).isEqualTo(f.path("nodes"));
        assertThat(f.path("data").path("edges")).isEqualTo(f.path("edges"));
        assertThat(f.path("data").path("topology").asString()).isEqualTo("hierarchical");
    }
}
