package io.swarmcast.memory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small least-recently-used cache of entries read lately, so that a retrieve can be answered without the
 * store and {@code cacheHit} reports something real. Writes and deletes invalidate their key.
 */
final class ReadCache {

    private final Map<String, MemoryEntry> entries;

    ReadCache(int capacity) {
        this.entries = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, MemoryEntry> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized MemoryEntry get(String namespace, String key) {
        return entries.get(cacheKey(namespace, key));
    }

    synchronized void put(MemoryEntry entry) {
        entries.put(cacheKey(entry.namespace(), entry.key()), entry);
    }

    synchronized void invalidate(String namespace, String key) {
        entries.remove(cacheKey(namespace, key));
    }

    private static String cacheKey(String namespace, String key) {
        return namespace + '\u0000' + key;
    }
}
