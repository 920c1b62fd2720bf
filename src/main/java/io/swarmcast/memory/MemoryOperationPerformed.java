package io.swarmcast.memory;

import io.swarmcast.domain.DomainEvent;
import io.swarmcast.domain.Publication;

/** Raised for every operation on shared memory. The publisher fills in its {@link Publication}. */
public record MemoryOperationPerformed(MemoryOperation operation, Publication publication) implements DomainEvent {

    public MemoryOperationPerformed(MemoryOperation operation) {
        this(operation, new Publication());
    }
}
