package io.swarmcast.log;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swarmcast.event.AgentStatusEvent;
import io.swarmcast.event.DashboardEvent;
import io.swarmcast.event.MemoryOperationEvent;
import io.swarmcast.event.MessageSentEvent;
import io.swarmcast.event.MetricsUpdateEvent;
import io.swarmcast.event.PassThroughEvent;
import io.swarmcast.event.TaskUpdateEvent;
import io.swarmcast.event.TopologyChangeEvent;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.util.Map;

/**
 * How a shared log stores an event: the record's own fields as JSON, plus a kind naming the record. Lossless, unlike
 * the frame (which cuts large values and moves some fields into {@code data} only), so an event read back is the
 * event appended: any instance can deliver it, and (later) fold it into its state.
 */
public final class EventJson {

    /** The kind of a {@link PassThroughEvent}, whose wire type is the producer's own. */
    static final String PASS_THROUGH = "pass";

    private static final Map<String, Class<? extends DashboardEvent>> KINDS = Map.of(
            AgentStatusEvent.TYPE, AgentStatusEvent.class,
            TaskUpdateEvent.TYPE, TaskUpdateEvent.class,
            MessageSentEvent.TYPE, MessageSentEvent.class,
            MemoryOperationEvent.TYPE, MemoryOperationEvent.class,
            TopologyChangeEvent.TYPE, TopologyChangeEvent.class,
            MetricsUpdateEvent.TYPE, MetricsUpdateEvent.class,
            PASS_THROUGH, PassThroughEvent.class);

    // Its own mapper: what is stored must not change with the application's JSON settings. Absent fields stay absent
    // (a Java null is read back as null, not as a JSON null node).
    private final JsonMapper mapper = JsonMapper.builder()
            .changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();

    /** The record's kind: its wire type, or {@link #PASS_THROUGH}. */
    public String kind(DashboardEvent event) {
        return event instanceof PassThroughEvent ? PASS_THROUGH : event.type();
    }

    public String write(DashboardEvent event) {
        return mapper.writeValueAsString(event);
    }

    /**
     * Reads an event written by {@link #write}.
     *
     * @throws IllegalArgumentException when the kind is unknown or the JSON does not fit it (written by another
     *                                  version of Swarmcast, or not by Swarmcast at all)
     */
    public DashboardEvent read(String kind, String json) {
        Class<? extends DashboardEvent> type = KINDS.get(kind);
        if (type == null) {
            throw new IllegalArgumentException("unknown event kind '" + kind + "'");
        }
        try {
            return mapper.readValue(json, type);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("unreadable " + kind + " event: " + e.getOriginalMessage(), e);
        }
    }
}
