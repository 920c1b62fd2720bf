/** Shared memory: a namespaced key-value store with TTL, a read cache and timed operations; REST at {@code /api/memory}. */
package io.swarmcast.memory;
