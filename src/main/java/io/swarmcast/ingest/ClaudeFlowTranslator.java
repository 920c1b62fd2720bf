package io.swarmcast.ingest;

import io.swarmcast.event.AgentStatusEvent;
import io.swarmcast.event.Channel;
import io.swarmcast.event.DashboardEvent;
import io.swarmcast.event.EventParser;
import io.swarmcast.event.EventValidationException;
import io.swarmcast.event.MemoryOperationEvent;
import io.swarmcast.event.MessageSentEvent;
import io.swarmcast.event.PassThroughEvent;
import io.swarmcast.event.TaskUpdateEvent;
import io.swarmcast.event.Trace;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.DateTimeException;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Reads the Claude Flow CLI's {@code POST /event} body ({@code {"channel","type","event","timestamp"}}) into
 * an event (docs/protocol.md section 5). Known things arrive under several names and with the dashboard's field
 * names; those are mapped onto the typed event they stand for, then validated as strictly as
 * {@code /api/events}. Types that stand for nothing known pass through untouched.
 */
@Component
class ClaudeFlowTranslator {

    /** Event name to the typed event it stands for. */
    private static final Map<String, String> TYPED = Map.ofEntries(
            Map.entry(AgentStatusEvent.TYPE, AgentStatusEvent.TYPE),
            Map.entry("agent:spawned", AgentStatusEvent.TYPE),
            Map.entry("agent:updated", AgentStatusEvent.TYPE),
            Map.entry("agent:terminated", AgentStatusEvent.TYPE),
            Map.entry(TaskUpdateEvent.TYPE, TaskUpdateEvent.TYPE),
            Map.entry("task:created", TaskUpdateEvent.TYPE),
            Map.entry("task:assigned", TaskUpdateEvent.TYPE),
            Map.entry("task:started", TaskUpdateEvent.TYPE),
            Map.entry("task:completed", TaskUpdateEvent.TYPE),
            Map.entry("task:failed", TaskUpdateEvent.TYPE),
            Map.entry(MessageSentEvent.TYPE, MessageSentEvent.TYPE),
            Map.entry("message:received", MessageSentEvent.TYPE),
            Map.entry(MemoryOperationEvent.TYPE, MemoryOperationEvent.TYPE),
            Map.entry("memory:store", MemoryOperationEvent.TYPE),
            Map.entry("memory:retrieve", MemoryOperationEvent.TYPE),
            Map.entry("memory:search", MemoryOperationEvent.TYPE),
            Map.entry("memory:update", MemoryOperationEvent.TYPE),
            Map.entry("memory:delete", MemoryOperationEvent.TYPE),
            Map.entry("topology:change", "topology:change"),
            Map.entry("metrics:update", "metrics:update"));

    /** The status (agents, tasks) or operation (memory) an event name implies when the event does not say. */
    private static final Map<String, String> IMPLIED = Map.ofEntries(
            Map.entry("agent:spawned", "spawning"),
            Map.entry("agent:terminated", "stopped"),
            Map.entry("task:created", "pending"),
            Map.entry("task:assigned", "assigned"),
            Map.entry("task:started", "running"),
            Map.entry("task:completed", "completed"),
            Map.entry("task:failed", "failed"),
            Map.entry("memory:store", "store"),
            Map.entry("memory:retrieve", "retrieve"),
            Map.entry("memory:search", "search"),
            Map.entry("memory:update", "update"),
            Map.entry("memory:delete", "delete"));

    private final EventParser parser;
    private final LongSupplier clock = System::currentTimeMillis;

    ClaudeFlowTranslator(EventParser parser) {
        this.parser = parser;
    }

    DashboardEvent translate(JsonNode body) {
        if (!body.isObject()) {
            throw IngestException.badRequest("body must be a JSON object: {\"channel\",\"type\",\"event\",\"timestamp\"}");
        }
        String type = text(body, "type");
        if (type == null || type.isBlank()) {
            throw IngestException.badField("type", "type is required and must be a non-empty string");
        }
        String channelName = text(body, "channel");
        Channel channel = channelName == null ? null : Channel.fromWire(channelName).orElse(null);
        if (channel == null) {
            throw IngestException.badField("channel", (channelName == null ? "channel is required" : "unknown channel '" + channelName + "'")
                    + "; expected one of " + Channel.ALLOWED);
        }
        JsonNode rawEvent = body.get("event");
        if (rawEvent != null && !rawEvent.isNull() && !rawEvent.isObject()) {
            throw IngestException.badField("event", "event must be a JSON object");
        }
        ObjectNode event = rawEvent == null || rawEvent.isNull() ? ((ObjectNode) body).objectNode() : ((ObjectNode) rawEvent).deepCopy();
        long timestamp = timestamp(event.get("timestamp"), timestamp(body.get("timestamp"), clock.getAsLong()));

        String typed = TYPED.get(type);
        if (typed == null) {
            return new PassThroughEvent(type, channel, event, timestamp, trace(event, body), null);
        }
        traceFromBody(event, body);
        applyAliases(typed, type, event);
        event.put("type", typed);
        event.put("timestamp", timestamp);
        try {
            return parser.parse(event);
        } catch (EventValidationException e) {
            throw new IngestException(HttpStatus.BAD_REQUEST,
                    "event." + e.getMessage(), 0, "event." + e.getField());
        }
    }

    /**
     * A pass-through event's causal link: {@code event.traceId} / {@code event.parentId}, each falling back to the
     * body's own, validated like a typed event's. The event itself stays untouched in {@code data}.
     */
    private static Trace trace(JsonNode event, JsonNode body) {
        return Trace.of(traceId(event, body, "traceId"), traceId(event, body, "parentId"));
    }

    private static String traceId(JsonNode event, JsonNode body, String name) {
        JsonNode inEvent = event.get(name);
        boolean fromEvent = inEvent != null && !inEvent.isNull();
        JsonNode value = fromEvent ? inEvent : body.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString() || !Trace.validId(value.stringValue())) {
            String field = fromEvent ? "event." + name : name;
            throw IngestException.badField(field, field + " must be a string of " + Trace.ID_RULE);
        }
        return value.stringValue();
    }

    /** A typed event takes the body's {@code traceId} / {@code parentId} when it carries none of its own. */
    private static void traceFromBody(ObjectNode event, JsonNode body) {
        for (String name : new String[]{"traceId", "parentId"}) {
            JsonNode value = body.get(name);
            if (value != null && !value.isNull() && !event.hasNonNull(name)) {
                event.set(name, value);
            }
        }
    }

    private static void applyAliases(String typed, String name, ObjectNode event) {
        switch (typed) {
            case AgentStatusEvent.TYPE -> {
                alias(event, "id", "agentId");
                aliasType(event, name, "agentType");
                alias(event, "currentTask", "task");
                implied(event, name, "status");
                if ("terminated".equals(text(event, "status"))) {
                    event.put("status", "stopped");
                }
                if (event.get("metrics") instanceof ObjectNode metrics) {
                    alias(metrics, "cpuPercent", "cpu");
                    alias(metrics, "memoryUsageMb", "memory");
                }
            }
            case TaskUpdateEvent.TYPE -> {
                alias(event, "id", "taskId");
                alias(event, "assignedAgent", "agentId");
                alias(event, "startedAt", "startTime");
                alias(event, "completedAt", "endTime");
                aliasType(event, name, "taskType");
                implied(event, name, "status");
                String status = text(event, "status");
                if ("in_progress".equals(status)) {
                    event.put("status", "running");
                } else if ("cancelled".equals(status)) {
                    event.put("status", "failed");
                    if (!event.hasNonNull("error")) {
                        event.put("error", "cancelled");
                    }
                }
            }
            case MessageSentEvent.TYPE -> {
                alias(event, "id", "messageId");
                aliasType(event, name, "messageType");
                alias(event, "content", "payload");
                alias(event, "data", "payload");
            }
            case MemoryOperationEvent.TYPE -> {
                alias(event, "duration", "latency");
                implied(event, name, "operation");
            }
            default -> {
                // topology:change and metrics:update have no other names.
            }
        }
    }

    /** Copies {@code from} into {@code to} when the event has no {@code to} of its own. */
    private static void alias(ObjectNode event, String from, String to) {
        JsonNode value = event.get(from);
        if (value != null && !value.isNull() && !event.hasNonNull(to)) {
            event.set(to, value);
        }
    }

    /** The dashboard's {@code type} field names the agent, task or message type, unless it repeats the event name. */
    private static void aliasType(ObjectNode event, String name, String to) {
        String type = text(event, "type");
        if (type != null && !type.equals(name) && !TYPED.containsKey(type) && !event.hasNonNull(to)) {
            event.put(to, type);
        }
    }

    private static void implied(ObjectNode event, String name, String field) {
        String value = IMPLIED.get(name);
        if (value != null && !event.hasNonNull(field)) {
            event.put(field, value);
        }
    }

    /**
     * A producer's timestamp in milliseconds, or as ISO-8601 text; anything else falls back. Unlike the strict
     * {@code /api/events}, {@code /event} serves emitters the project does not control, whose time formats vary:
     * a time it cannot read (unparseable text, zero, negative, a fraction, past year 9999, Infinity) is not worth
     * losing the event for, so the next source of time is used (docs/protocol.md 7.7).
     */
    static long timestamp(JsonNode value, long fallback) {
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (value.isNumber()) {
            double millis = value.doubleValue();
            boolean whole = value.isIntegralNumber() || millis == Math.rint(millis);
            return whole && millis >= 1 && millis <= EventParser.MAX_TIMESTAMP ? (long) millis : fallback;
        }
        if (value.isString()) {
            try {
                long millis = Instant.parse(value.stringValue()).toEpochMilli();
                return millis >= 1 && millis <= EventParser.MAX_TIMESTAMP ? millis : fallback;
            } catch (DateTimeException | ArithmeticException e) {
                return fallback;
            }
        }
        return fallback;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isString() ? value.stringValue() : null;
    }
}
