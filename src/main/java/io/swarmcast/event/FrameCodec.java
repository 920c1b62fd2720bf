package io.swarmcast.event;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/**
 * Writes an event as the combined frame of docs/protocol.md section 2: the flat fields of the original
 * specification, the {@code type}/{@code event}/{@code channel}/{@code seq}/{@code timestamp} envelope,
 * and the {@code data} view the Claude Flow dashboard routes on. One frame is written per event and
 * shared by every client, so this is written for speed with a streaming generator rather than a tree.
 * Not final only so that a test can stand in a slow codec for a delivery thread that cannot keep up.
 */
public class FrameCodec {

    /** The dashboard needs {@code data.content} of a message as a string of at most this many characters. */
    static final int CONTENT_PREVIEW_CHARS = 500;

    private final ObjectMapper mapper;
    private final int maxValueBytes;

    /**
     * @param maxValueBytes JSON size after which a payload or memory value is cut and marked {@code truncated}
     */
    public FrameCodec(ObjectMapper mapper, int maxValueBytes) {
        this.mapper = mapper;
        this.maxValueBytes = maxValueBytes;
    }

    /**
     * @param seq      the log's sequence number, or 0 for an ephemeral event (metrics) that has none
     * @param snapshot whether the frame is part of a subscription snapshot
     */
    public String write(DashboardEvent event, long seq, boolean snapshot) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator gen = mapper.createGenerator(out)) {
            gen.writeStartObject();
            gen.writeStringProperty("type", event.type());
            gen.writeStringProperty("event", event.type());
            gen.writeStringProperty("channel", event.channel().wireName());
            if (seq > 0) {
                gen.writeNumberProperty("seq", seq);
                gen.writeStringProperty("id", eventId(seq));
            }
            gen.writeNumberProperty("timestamp", event.timestamp());
            if (snapshot) {
                gen.writeBooleanProperty("snapshot", true);
            }
            writeTrace(gen, event.trace());
            if (event.swarmId() != null) {
                gen.writeStringProperty("swarmId", event.swarmId());
            }
            event.accept(new Body(gen, seq));
            gen.writeEndObject();
        }
        return out.toString();
    }

    /** The fields that differ by type: one method per event type, so a new type does not compile until it is written. */
    private final class Body implements DashboardEvent.Visitor<Void> {
        private final JsonGenerator gen;
        private final long seq;

        Body(JsonGenerator gen, long seq) {
            this.gen = gen;
            this.seq = seq;
        }

        @Override
        public Void agentStatus(AgentStatusEvent event) {
            writeAgent(gen, event);
            return null;
        }

        @Override
        public Void taskUpdate(TaskUpdateEvent event) {
            writeTask(gen, event);
            return null;
        }

        @Override
        public Void messageSent(MessageSentEvent event) {
            writeMessage(gen, event);
            return null;
        }

        @Override
        public Void memoryOperation(MemoryOperationEvent event) {
            writeMemory(gen, event, seq);
            return null;
        }

        @Override
        public Void topologyChange(TopologyChangeEvent event) {
            writeTopology(gen, event);
            return null;
        }

        @Override
        public Void metricsUpdate(MetricsUpdateEvent event) {
            writeMetrics(gen, event);
            return null;
        }

        @Override
        public Void passThrough(PassThroughEvent event) {
            gen.writeName("data");
            gen.writeTree(event.data());
            return null;
        }
    }

    /** The causal link, at the top level only and only when present: a frame without one is as it always was. */
    private static void writeTrace(JsonGenerator gen, Trace trace) {
        if (trace != null) {
            writeOptional(gen, "traceId", trace.traceId());
            writeOptional(gen, "parentId", trace.parentId());
        }
    }

    public static String eventId(long seq) {
        return "evt-" + seq;
    }

    private void writeAgent(JsonGenerator gen, AgentStatusEvent e) {
        gen.writeStringProperty("agentId", e.agentId());
        writeOptional(gen, "name", e.name());
        writeOptional(gen, "agentType", e.agentType());
        gen.writeStringProperty("status", e.status().wireName());
        writeOptional(gen, "task", e.task());
        if (e.metrics() != null) {
            gen.writeName("metrics");
            writeAgentMetrics(gen, e.metrics(), false);
        }
        gen.writeName("data");
        gen.writeStartObject();
        gen.writeStringProperty("id", e.agentId());
        writeOptional(gen, "name", e.name());
        writeOptional(gen, "type", e.agentType());
        gen.writeStringProperty("status", e.status().wireName());
        writeOptional(gen, "currentTask", e.task());
        // The dashboard's agent card shows "No active task" unless this is above 0; always sent, so that an
        // update after a task ends clears the count its store merged in before. Swarmcast tracks one current task.
        gen.writeNumberProperty("currentTaskCount", e.task() != null ? 1 : 0);
        if (e.metrics() != null) {
            gen.writeName("metrics");
            writeAgentMetrics(gen, e.metrics(), true);
        }
        writeOptional(gen, "createdAt", e.createdAt());
        gen.writeNumberProperty("lastActivity", e.timestamp());
        gen.writeEndObject();
    }

    /** The dashboard view also carries the metric names the Claude Flow dashboard reads. */
    private void writeAgentMetrics(JsonGenerator gen, AgentMetrics m, boolean dashboardNames) {
        gen.writeStartObject();
        writeOptional(gen, "cpu", m.cpu());
        writeOptional(gen, "memory", m.memory());
        writeOptional(gen, "messageCount", m.messageCount());
        if (dashboardNames) {
            writeOptional(gen, "cpuPercent", m.cpu());
            writeOptional(gen, "memoryUsageMb", m.memory());
            writeOptional(gen, "tasksCompleted", m.tasksCompleted());
            writeOptional(gen, "tasksFailed", m.tasksFailed());
        }
        gen.writeEndObject();
    }

    private void writeTask(JsonGenerator gen, TaskUpdateEvent e) {
        gen.writeStringProperty("taskId", e.taskId());
        gen.writeStringProperty("status", e.status().wireName());
        writeOptional(gen, "agentId", e.agentId());
        gen.writeStringProperty("description", e.description() == null ? "" : e.description());
        writeOptional(gen, "progress", e.progress());
        writeOptional(gen, "error", e.error());
        writeOptional(gen, "startTime", e.startTime());
        writeOptional(gen, "endTime", e.endTime());
        gen.writeName("data");
        gen.writeStartObject();
        gen.writeStringProperty("id", e.taskId());
        gen.writeStringProperty("description", e.description() == null ? "" : e.description());
        gen.writeStringProperty("status", e.status().wireName());
        writeOptional(gen, "assignedAgent", e.agentId());
        writeOptional(gen, "progress", e.progress());
        writeOptional(gen, "error", e.error());
        writeOptional(gen, "createdAt", e.createdAt());
        writeOptional(gen, "startedAt", e.startTime());
        writeOptional(gen, "completedAt", e.endTime());
        writeOptional(gen, "type", e.taskType());
        writeOptional(gen, "priority", e.priority());
        gen.writeEndObject();
    }

    private void writeMessage(JsonGenerator gen, MessageSentEvent e) {
        CutValue payload = cut(e.payload());
        gen.writeStringProperty("messageId", e.messageId());
        gen.writeStringProperty("source", e.source());
        gen.writeStringProperty("target", e.target());
        gen.writeStringProperty("messageType", e.messageType().wireName());
        writeCut(gen, "payload", payload);
        gen.writeNumberProperty("size", e.size());
        if (payload.truncated()) {
            gen.writeBooleanProperty("truncated", true);
        }
        gen.writeName("data");
        gen.writeStartObject();
        gen.writeStringProperty("id", e.messageId());
        gen.writeStringProperty("source", e.source());
        gen.writeStringProperty("target", e.target());
        gen.writeStringProperty("type", e.messageType().wireName());
        gen.writeStringProperty("direction", "internal");
        gen.writeStringProperty("content", contentPreview(e.payload()));
        writeCut(gen, "data", payload);
        gen.writeNumberProperty("size", e.size());
        // The dashboard's message row shows metadata.size, falling back to the length of the content preview.
        gen.writeName("metadata");
        gen.writeStartObject();
        gen.writeNumberProperty("size", e.size());
        gen.writeEndObject();
        gen.writeNumberProperty("timestamp", e.timestamp());
        gen.writeEndObject();
    }

    private void writeMemory(JsonGenerator gen, MemoryOperationEvent e, long seq) {
        CutValue value = cut(e.value());
        gen.writeStringProperty("operation", e.operation().wireName());
        gen.writeStringProperty("namespace", e.namespace());
        writeOptional(gen, "key", e.key());
        writeOptional(gen, "query", e.query());
        writeCut(gen, "value", value);
        writeOptional(gen, "resultCount", e.resultCount());
        writeOptional(gen, "cacheHit", e.cacheHit());
        gen.writeNumberProperty("latency", e.latency());
        if (value.truncated()) {
            gen.writeBooleanProperty("truncated", true);
        }
        gen.writeName("data");
        gen.writeStartObject();
        if (seq > 0) {
            gen.writeStringProperty("id", eventId(seq));
        }
        gen.writeStringProperty("operation", e.operation().wireName());
        gen.writeStringProperty("namespace", e.namespace());
        writeOptional(gen, "key", e.key());
        writeOptional(gen, "query", e.query());
        writeCut(gen, "value", value);
        writeOptional(gen, "resultCount", e.resultCount());
        writeOptional(gen, "cacheHit", e.cacheHit());
        gen.writeNumberProperty("latency", e.latency());
        gen.writeBooleanProperty("success", e.success() != null ? e.success() : e.error() == null);
        writeOptional(gen, "error", e.error());
        writeOptional(gen, "agentId", e.agentId());
        gen.writeNumberProperty("timestamp", e.timestamp());
        gen.writeEndObject();
    }

    private void writeTopology(JsonGenerator gen, TopologyChangeEvent e) {
        writeTopologyFields(gen, e);
        gen.writeName("data");
        gen.writeStartObject();
        writeTopologyFields(gen, e);
        gen.writeEndObject();
    }

    private void writeTopologyFields(JsonGenerator gen, TopologyChangeEvent e) {
        gen.writeStringProperty("topology", e.topology().wireName());
        gen.writeArrayPropertyStart("nodes");
        for (TopologyChangeEvent.Node node : e.nodes()) {
            gen.writeStartObject();
            gen.writeStringProperty("id", node.id());
            writeOptional(gen, "name", node.name());
            writeOptional(gen, "type", node.type());
            writeOptional(gen, "status", node.status());
            gen.writeEndObject();
        }
        gen.writeEndArray();
        gen.writeArrayPropertyStart("edges");
        for (TopologyChangeEvent.Edge edge : e.edges()) {
            gen.writeStartObject();
            gen.writeStringProperty("source", edge.source());
            gen.writeStringProperty("target", edge.target());
            writeOptional(gen, "health", edge.health());
            gen.writeEndObject();
        }
        gen.writeEndArray();
    }

    private void writeMetrics(JsonGenerator gen, MetricsUpdateEvent e) {
        writeMetricsFields(gen, e);
        gen.writeName("data");
        gen.writeStartObject();
        writeMetricsFields(gen, e);
        gen.writeEndObject();
    }

    private void writeMetricsFields(JsonGenerator gen, MetricsUpdateEvent e) {
        gen.writeNumberProperty("activeAgents", e.activeAgents());
        gen.writeNumberProperty("pendingTasks", e.pendingTasks());
        gen.writeNumberProperty("messagesPerSecond", e.messagesPerSecond());
        gen.writeNumberProperty("memoryOpsPerSecond", e.memoryOpsPerSecond());
        writeOptional(gen, "connectedClients", e.connectedClients());
        writeOptional(gen, "eventsPerSecond", e.eventsPerSecond());
    }

    /** A large JSON value as it goes into frames: whole, or its JSON text cut to the size limit. */
    private record CutValue(JsonNode whole, String cutText) {
        boolean truncated() {
            return cutText != null;
        }
    }

    private CutValue cut(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return new CutValue(null, null);
        }
        if (value.isValueNode() && !value.isString()) {
            return new CutValue(value, null);
        }
        String json = value.isString() ? value.stringValue() : mapper.writeValueAsString(value);
        if (json.length() * 3 <= maxValueBytes || json.getBytes(StandardCharsets.UTF_8).length <= maxValueBytes) {
            return new CutValue(value, null);
        }
        return new CutValue(null, prefixWithinBytes(json, maxValueBytes));
    }

    private void writeCut(JsonGenerator gen, String name, CutValue value) {
        if (value.truncated()) {
            gen.writeStringProperty(name, value.cutText());
        } else if (value.whole() != null) {
            gen.writeName(name);
            gen.writeTree(value.whole());
        }
    }

    /** The message payload as text, since the dashboard renders {@code data.content} as a string. */
    private String contentPreview(JsonNode payload) {
        if (payload == null || payload.isNull() || payload.isMissingNode()) {
            return "";
        }
        String text = payload.isString() ? payload.stringValue() : mapper.writeValueAsString(payload);
        if (text.length() <= CONTENT_PREVIEW_CHARS) {
            return text;
        }
        // Never end on half a surrogate pair: a lone surrogate cannot be encoded as UTF-8, and the send fails.
        int end = Character.isHighSurrogate(text.charAt(CONTENT_PREVIEW_CHARS - 1)) ? CONTENT_PREVIEW_CHARS - 1 : CONTENT_PREVIEW_CHARS;
        return text.substring(0, end);
    }

    /** The longest prefix of {@code text} whose UTF-8 encoding fits {@code maxBytes}, never splitting a surrogate pair. */
    static String prefixWithinBytes(String text, int maxBytes) {
        int bytes = 0;
        int i = 0;
        while (i < text.length()) {
            int codePoint = text.codePointAt(i);
            int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            i += Character.charCount(codePoint);
        }
        return text.substring(0, i);
    }

    private static void writeOptional(JsonGenerator gen, String name, String value) {
        if (value != null) {
            gen.writeStringProperty(name, value);
        }
    }

    private static void writeOptional(JsonGenerator gen, String name, Long value) {
        if (value != null) {
            gen.writeNumberProperty(name, value);
        }
    }

    private static void writeOptional(JsonGenerator gen, String name, Integer value) {
        if (value != null) {
            gen.writeNumberProperty(name, value);
        }
    }

    private static void writeOptional(JsonGenerator gen, String name, Double value) {
        if (value != null) {
            gen.writeNumberProperty(name, value);
        }
    }

    private static void writeOptional(JsonGenerator gen, String name, Boolean value) {
        if (value != null) {
            gen.writeBooleanProperty(name, value);
        }
    }
}
