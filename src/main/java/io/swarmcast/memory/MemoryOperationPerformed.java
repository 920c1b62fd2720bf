package io.swarmcast.memory;

import io.swarmcast.domain.DomainEvent;
import io.swarmcast.domain.Publication;

/** Raised for every operation on shared memory. The publisher fills in its {@link Publication}. */
public record MemoryOperationPerformed(MemoryOperation operation, Publication publication, String swarmId) implements DomainEvent {

    /** @param swarmId the swarm whose service raised it; null for the default swarm */
    public MemoryOperationPerformed(MemoryOperation operation, String swarmId) {
        this(operation, new Publication(), swarmId);
    }
}
