package io.swarmcast.ingest;

import io.swarmcast.SwarmcastProperties;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code limits.max-event-size}: the largest event, as JSON with its values whole, that ingest lets into the
 * server. History keeps every event whole (frames cut large values, the stored event does not), so this bound,
 * times {@code history-size}, is what keeps history's memory bounded. An event over it is refused with 413
 * {@code too_large} before anything of its request is applied.
 */
@Component
class EventSizeLimit {

    private final ObjectMapper mapper;
    private final long maxEventBytes;

    EventSizeLimit(ObjectMapper mapper, SwarmcastProperties properties) {
        this.mapper = mapper;
        this.maxEventBytes = properties.limits().maxEventSize().toBytes();
    }

    /**
     * Refuses {@code event} when its JSON is over the limit. {@code bodySize} is the size of the whole request it
     * came in: when that is within the limit, no part of it can be over, and nothing needs measuring.
     */
    void check(JsonNode event, int bodySize, Integer index, String field) {
        if (bodySize <= maxEventBytes || event == null) {
            return;
        }
        long size = mapper.writeValueAsBytes(event).length;
        if (size > maxEventBytes) {
            throw new IngestException(HttpStatus.CONTENT_TOO_LARGE, (index != null ? "event " + index : "the event")
                    + " is " + size + " bytes of JSON, over the limit of " + maxEventBytes
                    + " bytes (swarmcast.limits.max-event-size)", index, field);
        }
    }
}
