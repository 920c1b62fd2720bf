package io.swarmcast.memory;

import tools.jackson.databind.JsonNode;

/**
 * One stored value.
 *
 * @param expiresAt when it stops existing (ms), or null to keep it until deleted
 */
public record MemoryEntry(String namespace, String key, JsonNode value, long createdAt, long updatedAt, Long expiresAt) {

    boolean expiredAt(long now) {
        return expiresAt != null && expiresAt <= now;
    }
}
