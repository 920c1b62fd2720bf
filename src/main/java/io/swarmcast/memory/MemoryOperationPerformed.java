package io.swarmcast.memory;

/** Raised for every operation on shared memory. */
public record MemoryOperationPerformed(MemoryOperation operation) {
}
