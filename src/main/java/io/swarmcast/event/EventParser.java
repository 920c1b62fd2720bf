package io.swarmcast.event;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Reads one typed event in the flat form of docs/protocol.md section 2 ({@code {"type":"agent:status","agentId":...}}),
 * strictly: unknown types and wrong field types are refused with an {@link EventValidationException}
 * that names the field. Optional fields may be absent; a missing {@code timestamp} means now. Every type may carry
 * the causal link {@code traceId} / {@code parentId} ({@link Trace}).
 */
public final class EventParser {

    /** The typed event names, in protocol order. */
    public static final List<String> TYPES = List.of(AgentStatusEvent.TYPE, TaskUpdateEvent.TYPE, MessageSentEvent.TYPE,
            MemoryOperationEvent.TYPE, TopologyChangeEvent.TYPE, MetricsUpdateEvent.TYPE);

    /** The latest timestamp accepted: 9999-12-31T23:59:59.999Z, in milliseconds. */
    public static final long MAX_TIMESTAMP = 253_402_300_799_999L;

    private static final Set<MemoryOperationType> KEYED_OPERATIONS = Set.of(MemoryOperationType.STORE,
            MemoryOperationType.RETRIEVE, MemoryOperationType.UPDATE, MemoryOperationType.DELETE);

    private final ObjectMapper mapper;
    private final LongSupplier clock;

    public EventParser(ObjectMapper mapper, LongSupplier clock) {
        this.mapper = mapper;
        this.clock = clock;
    }

    public static boolean isTyped(String type) {
        return TYPES.contains(type);
    }

    public DashboardEvent parse(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new EventValidationException("type", "an event must be a JSON object with a type");
        }
        JsonFields fields = new JsonFields(node);
        String type = fields.optionalString("type");
        if (type == null) {
            throw new EventValidationException("type", "type is required, one of " + String.join(", ", TYPES));
        }
        long timestamp = timestamp(fields);
        Trace trace = fields.optionalTrace();
        return switch (type) {
            case AgentStatusEvent.TYPE -> agent(fields, timestamp, trace);
            case TaskUpdateEvent.TYPE -> task(fields, timestamp, trace);
            case MessageSentEvent.TYPE -> message(fields, timestamp, trace);
            case MemoryOperationEvent.TYPE -> memory(fields, timestamp, trace);
            case TopologyChangeEvent.TYPE -> topology(fields, timestamp, trace);
            case MetricsUpdateEvent.TYPE -> metrics(fields, timestamp, trace);
            default -> throw new EventValidationException("type",
                    "type must be one of " + String.join(", ", TYPES) + " (got '" + type + "')");
        };
    }

    private long timestamp(JsonFields fields) {
        Long timestamp = fields.optionalTimestamp("timestamp");
        return timestamp != null ? timestamp : clock.getAsLong();
    }

    private AgentStatusEvent agent(JsonFields f, long timestamp, Trace trace) {
        AgentMetrics metrics = null;
        JsonNode rawMetrics = f.raw("metrics");
        if (rawMetrics != null) {
            JsonFields m = JsonFields.element(rawMetrics, "metrics");
            metrics = new AgentMetrics(m.optionalAmount("cpu"), m.optionalAmount("memory"), m.optionalCount("messageCount"),
                    m.optionalCount("tasksCompleted"), m.optionalCount("tasksFailed"));
        }
        return new AgentStatusEvent(f.requiredString("agentId"), f.optionalString("name"), f.optionalString("agentType"),
                f.requiredEnum("status", AgentStatus.class), f.optionalString("task"), metrics,
                f.optionalTimestamp("createdAt"), timestamp, trace, null);
    }

    private TaskUpdateEvent task(JsonFields f, long timestamp, Trace trace) {
        return new TaskUpdateEvent(f.requiredString("taskId"), f.requiredEnum("status", TaskStatus.class),
                f.optionalString("agentId"), f.optionalString("description"), f.optionalInt("progress", 0, 100),
                f.optionalString("error"), f.optionalTimestamp("startTime"), f.optionalTimestamp("endTime"),
                f.optionalTimestamp("createdAt"), f.optionalString("taskType"), f.optionalString("priority"), timestamp,
                trace, null);
    }

    private MessageSentEvent message(JsonFields f, long timestamp, Trace trace) {
        String messageId = f.optionalString("messageId");
        JsonNode payload = f.raw("payload");
        Long size = f.optionalCount("size");
        return new MessageSentEvent(messageId != null ? messageId : "msg-" + UUID.randomUUID(),
                f.requiredString("source"), f.requiredString("target"), f.requiredEnum("messageType", MessageType.class),
                payload, size != null ? size : sizeInBytes(payload), timestamp, trace, null);
    }

    private MemoryOperationEvent memory(JsonFields f, long timestamp, Trace trace) {
        MemoryOperationType operation = f.requiredEnum("operation", MemoryOperationType.class);
        String key = KEYED_OPERATIONS.contains(operation) ? f.requiredString("key") : f.optionalString("key");
        String query = operation == MemoryOperationType.SEARCH ? f.requiredString("query") : f.optionalString("query");
        Double latency = f.optionalAmount("latency");
        return new MemoryOperationEvent(operation, f.requiredString("namespace"), key, query, f.raw("value"),
                f.optionalInt("resultCount", 0, Integer.MAX_VALUE), f.optionalBoolean("cacheHit"),
                latency != null ? latency : 0.0, f.optionalBoolean("success"), f.optionalString("error"),
                f.optionalString("agentId"), timestamp, trace, null);
    }

    private TopologyChangeEvent topology(JsonFields f, long timestamp, Trace trace) {
        List<TopologyChangeEvent.Node> nodes = new ArrayList<>();
        int i = 0;
        for (JsonNode element : f.optionalArray("nodes")) {
            JsonFields n = JsonFields.element(element, "nodes[" + i++ + "]");
            nodes.add(new TopologyChangeEvent.Node(n.requiredString("id"), n.optionalString("name"),
                    n.optionalString("type"), n.optionalString("status")));
        }
        List<TopologyChangeEvent.Edge> edges = new ArrayList<>();
        i = 0;
        for (JsonNode element : f.optionalArray("edges")) {
            JsonFields e = JsonFields.element(element, "edges[" + i++ + "]");
            edges.add(new TopologyChangeEvent.Edge(e.requiredString("source"), e.requiredString("target"),
                    e.optionalString("health")));
        }
        return new TopologyChangeEvent(f.requiredEnum("topology", Topology.class), nodes, edges, timestamp, trace, null);
    }

    private MetricsUpdateEvent metrics(JsonFields f, long timestamp, Trace trace) {
        return new MetricsUpdateEvent(f.requiredCount("activeAgents"), f.requiredCount("pendingTasks"),
                f.requiredAmount("messagesPerSecond"), f.requiredAmount("memoryOpsPerSecond"),
                f.optionalInt("connectedClients", 0, Integer.MAX_VALUE), f.optionalAmount("eventsPerSecond"), timestamp,
                trace, null);
    }

    private long sizeInBytes(JsonNode payload) {
        if (payload == null) {
            return 0;
        }
        String text = payload.isString() ? payload.stringValue() : mapper.writeValueAsString(payload);
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
