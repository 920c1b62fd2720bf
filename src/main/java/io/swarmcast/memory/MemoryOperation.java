package io.swarmcast.memory;

import io.swarmcast.event.MemoryOperationType;
import lombok.Builder;
import tools.jackson.databind.JsonNode;

/**
 * One operation on shared memory, as measured (or as a producer reported it).
 *
 * @param latency     milliseconds the operation took
 * @param resultCount entries found (retrieve, search) or affected (store, update, delete)
 * @param cacheHit    for a retrieve: whether the read cache answered it; null otherwise
 * @param agentId     who did it, when known
 */
@Builder
public record MemoryOperation(MemoryOperationType operation, String namespace, String key, String query,
                              JsonNode value, Integer resultCount, Boolean cacheHit, double latency, boolean success,
                              String error, String agentId, long timestamp) {
}
