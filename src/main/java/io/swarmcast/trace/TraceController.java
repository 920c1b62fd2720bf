package io.swarmcast.trace;

import io.swarmcast.SwarmcastProperties;
import io.swarmcast.event.FrameCodec;
import io.swarmcast.event.Trace;
import io.swarmcast.log.StoredEvent;
import io.swarmcast.server.EventServer;
import io.swarmcast.web.ApiError;
import io.swarmcast.web.ApiException;
import lombok.RequiredArgsConstructor;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.ObjectMapper;

import java.io.StringWriter;
import java.util.List;

/**
 * {@code GET /api/trace/{traceId}}: the events of one trace still in the retained history, in seq order, as the
 * same frames a WebSocket client received (docs/protocol.md 7.12). Paged like {@code replay}: {@code afterSeq}
 * (exclusive) and {@code limit} (default {@code limits.replay-default-limit}, at most
 * {@code limits.replay-max-limit}). Answered from the {@link TraceIndex}, so its cost is the trace's events, not
 * the history's.
 */
@RestController
@RequiredArgsConstructor
class TraceController {

    private final TraceIndex index;
    private final FrameCodec codec;
    private final EventServer server;
    private final SwarmcastProperties properties;
    private final ObjectMapper mapper;

    @GetMapping("/api/trace/{traceId}")
    ResponseEntity<String> trace(@PathVariable String traceId, @RequestParam(required = false) Long afterSeq,
                                 @RequestParam(required = false) Long limit) {
        if (!Trace.validId(traceId)) {
            throw new ApiException(HttpStatus.BAD_REQUEST, ApiError.INVALID_FIELD,
                    "traceId must be " + Trace.ID_RULE, "traceId", null, null);
        }
        long after = afterSeq == null ? 0 : afterSeq;
        if (after < 0) {
            throw new ApiException(HttpStatus.BAD_REQUEST, ApiError.INVALID_FIELD,
                    "afterSeq must be a whole number from 0 to " + Long.MAX_VALUE, "afterSeq", null, null);
        }
        int max = properties.limits().replayMaxLimit();
        if (limit != null && (limit < 1 || limit > max)) {
            throw new ApiException(HttpStatus.BAD_REQUEST, ApiError.INVALID_FIELD,
                    "limit must be a whole number from 1 to " + max + " (limits.replay-max-limit)", "limit", null, null);
        }
        int wanted = limit == null ? Math.min(properties.limits().replayDefaultLimit(), max) : limit.intValue();

        TraceIndex.Lookup found = index.lookup(traceId, after, wanted);
        if (!found.known()) {
            throw new ApiException(HttpStatus.NOT_FOUND, ApiError.NOT_FOUND,
                    "no event of trace '" + traceId + "' is in the retained history", "traceId", null, null);
        }
        // Complete unless the limit cut it, or the index started later than the history it is asked about
        // (an instance of a shared log indexes what it read since it started).
        long askedFrom = Math.max(after + 1, index.oldestKept());
        boolean complete = !found.cutByLimit() && index.coversFromSeq() <= askedFrom;
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                .body(answer(traceId, found.events(), complete));
    }

    /** The stored frames are written as they are, not parsed and written again (as in a replay answer). */
    private String answer(String traceId, List<StoredEvent> events, boolean complete) {
        StringWriter out = new StringWriter(256 + events.size() * 256);
        try (JsonGenerator gen = mapper.createGenerator(out)) {
            gen.writeStartObject();
            gen.writeStringProperty("traceId", traceId);
            gen.writeArrayPropertyStart("events");
            for (StoredEvent event : events) {
                gen.writeRawValue(event.frame(codec));
            }
            gen.writeEndArray();
            gen.writeNumberProperty("count", events.size());
            if (!events.isEmpty()) {
                gen.writeNumberProperty("fromSeq", events.get(0).seq());
                gen.writeNumberProperty("toSeq", events.get(events.size() - 1).seq());
            }
            gen.writeBooleanProperty("complete", complete);
            gen.writeStringProperty("epoch", server.epoch());
            gen.writeEndObject();
        }
        return out.toString();
    }
}
