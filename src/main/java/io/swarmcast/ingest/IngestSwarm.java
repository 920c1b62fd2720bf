package io.swarmcast.ingest;

import io.swarmcast.event.SwarmIds;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;

/** Reads the optional {@code swarmId} of an ingested event (docs/protocol.md 7.15); absent means the default swarm. */
final class IngestSwarm {

    static final String FIELD = "swarmId";

    private IngestSwarm() {
    }

    /**
     * @param path  the field's name in error answers ({@code swarmId}, {@code event.swarmId})
     * @param index the event's index in its request
     * @return the internal id: null for the default swarm
     */
    static String read(JsonNode node, String path, int index) {
        JsonNode value = node == null ? null : node.get(FIELD);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString() || !SwarmIds.valid(value.stringValue())) {
            throw new IngestException(HttpStatus.BAD_REQUEST, path + " must be a swarm id: " + SwarmIds.RULE, index, path);
        }
        return SwarmIds.internal(value.stringValue());
    }
}
