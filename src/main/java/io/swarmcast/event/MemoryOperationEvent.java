package io.swarmcast.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import lombok.Builder;
import tools.jackson.databind.JsonNode;

/**
 * {@code memory:operation}: something read or wrote shared memory.
 *
 * @param key         the key, for operations on one entry
 * @param query       the search text, for {@code search}
 * @param value       the value stored or read, if reported; cut in frames past the configured size
 * @param latency     how long the operation took, in milliseconds
 * @param success     false when the operation failed; null means it succeeded unless {@code error} is set
 * @param agentId     the agent that did it, if known
 * @param trace       its causal link, if any
 * @param swarmId     its swarm, null for the default one (docs/protocol.md 7.15)
 */
@Builder(toBuilder = true)
public record MemoryOperationEvent(MemoryOperationType operation, String namespace, String key, String query,
                                   JsonNode value, Integer resultCount, Boolean cacheHit, double latency,
                                   Boolean success, String error, String agentId, long timestamp,
                                   @JsonInclude(JsonInclude.Include.NON_NULL) Trace trace,
                                   @JsonInclude(JsonInclude.Include.NON_NULL) String swarmId)
        implements DashboardEvent {

    public static final String TYPE = "memory:operation";

    /** Without a causal link, in the default swarm. */
    public MemoryOperationEvent(MemoryOperationType operation, String namespace, String key, String query,
                                JsonNode value, Integer resultCount, Boolean cacheHit, double latency,
                                Boolean success, String error, String agentId, long timestamp) {
        this(operation, namespace, key, query, value, resultCount, cacheHit, latency, success, error, agentId,
                timestamp, null, null);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Channel channel() {
        return Channel.MEMORY;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.memoryOperation(this);
    }

    @Override
    public MemoryOperationEvent withSwarmId(String swarmId) {
        return toBuilder().swarmId(swarmId).build();
    }
}
