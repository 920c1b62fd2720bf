package io.swarmcast.memory;

import io.swarmcast.domain.DomainLock;
import io.swarmcast.domain.RateWindow;
import io.swarmcast.event.MemoryOperationType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Shared memory for agents: a namespaced key-value store with optional time-to-live, a small read cache,
 * and search by key prefix and by text in keys and values. Every operation is timed and raises one
 * {@link MemoryOperationPerformed}. Kept in this process; a Redis-backed store can take its place.
 */
@Service
public class MemoryService {

    private static final int READ_CACHE_ENTRIES = 256;

    private final Map<String, Map<String, MemoryEntry>> namespaces = new ConcurrentHashMap<>();
    private final ReadCache cache = new ReadCache(READ_CACHE_ENTRIES);
    private final RateWindow rate = new RateWindow();
    /** The swarm this instance serves; null for the default swarm. */
    private final String swarmId;
    private final DomainLock lock;
    private final ApplicationEventPublisher events;
    private final ObjectMapper mapper;
    private final LongSupplier clock;

    @Autowired
    public MemoryService(DomainLock lock, ApplicationEventPublisher events, ObjectMapper mapper) {
        this(lock, events, mapper, null);
    }

    /** The shared memory of one swarm ({@link io.swarmcast.swarm.Swarms}); {@code swarmId} null is the default swarm. */
    public MemoryService(DomainLock lock, ApplicationEventPublisher events, ObjectMapper mapper, String swarmId) {
        this.swarmId = swarmId;
        this.lock = lock;
        this.events = events;
        this.mapper = mapper;
        this.clock = System::currentTimeMillis;
    }

    /** The result of a write: the entry and whether it was new ({@code store}) or replaced one ({@code update}). */
    public record Written(MemoryEntry entry, boolean created) {
    }

    /** Stores a value, or replaces the one there; {@code ttl} null keeps it until deleted. */
    public Written put(String namespace, String key, JsonNode value, Duration ttl, String agentId) {
        return lock.call(() -> {
            long started = System.nanoTime();
            long now = clock.getAsLong();
            Map<String, MemoryEntry> entries = namespaces.computeIfAbsent(namespace, ns -> new ConcurrentHashMap<>());
            MemoryEntry old = live(entries.get(key), now);
            MemoryEntry entry = new MemoryEntry(namespace, key, value, old != null ? old.createdAt() : now, now,
                    ttl != null ? now + ttl.toMillis() : null);
            entries.put(key, entry);
            cache.invalidate(namespace, key);
            MemoryOperationType operation = old == null ? MemoryOperationType.STORE : MemoryOperationType.UPDATE;
            record(measured(operation, namespace, agentId, started, now).key(key).value(value).resultCount(1).build());
            return new Written(entry, old == null);
        });
    }

    /** Reads a value, from the read cache when it holds it. */
    public Optional<MemoryEntry> retrieve(String namespace, String key, String agentId) {
        return lock.call(() -> {
            long started = System.nanoTime();
            long now = clock.getAsLong();
            MemoryEntry cached = live(cache.get(namespace, key), now);
            MemoryEntry entry = cached;
            if (entry == null) {
                entry = live(entries(namespace).get(key), now);
                if (entry != null) {
                    cache.put(entry);
                }
            }
            record(measured(MemoryOperationType.RETRIEVE, namespace, agentId, started, now).key(key)
                    .value(entry != null ? entry.value() : null).resultCount(entry != null ? 1 : 0)
                    .cacheHit(cached != null).build());
            return Optional.ofNullable(entry);
        });
    }

    /** Deletes a value; returns whether there was one. */
    public boolean delete(String namespace, String key, String agentId) {
        return lock.call(() -> {
            long started = System.nanoTime();
            long now = clock.getAsLong();
            MemoryEntry removed = live(remove(namespace, key), now);
            cache.invalidate(namespace, key);
            record(measured(MemoryOperationType.DELETE, namespace, agentId, started, now).key(key)
                    .resultCount(removed != null ? 1 : 0).build());
            return removed != null;
        });
    }

    /**
     * Entries of a namespace whose key starts with {@code prefix} (when given) and whose key or value
     * contains {@code text} (when given, ignoring case), ordered by key.
     */
    public List<MemoryEntry> search(String namespace, String prefix, String text, String agentId) {
        return lock.call(() -> {
            long started = System.nanoTime();
            long now = clock.getAsLong();
            String needle = text == null ? null : text.toLowerCase(Locale.ROOT);
            List<MemoryEntry> found = new ArrayList<>();
            for (MemoryEntry entry : entries(namespace).values()) {
                if (live(entry, now) != null && (prefix == null || entry.key().startsWith(prefix))
                        && (needle == null || contains(entry, needle))) {
                    found.add(entry);
                }
            }
            found.sort(Comparator.comparing(MemoryEntry::key));
            String query = describeQuery(prefix, text);
            record(measured(MemoryOperationType.SEARCH, namespace, agentId, started, now).query(query)
                    .resultCount(found.size()).build());
            return found;
        });
    }

    /**
     * Records an operation a producer reported. Writes and deletes it reports are applied to the store, so
     * that what dashboards saw and what the store holds agree; reads are only counted.
     *
     * @return the event raised for it, whose publication tells the seq it got
     */
    public MemoryOperationPerformed observe(MemoryOperation reported) {
        return lock.call(() -> {
            if (reported.success() && reported.key() != null) {
                switch (reported.operation()) {
                    case STORE, UPDATE -> {
                        if (reported.value() != null) {
                            // The reported time, as its event carries it, so instances folding the event agree.
                            long at = reported.timestamp();
                            Map<String, MemoryEntry> entries =
                                    namespaces.computeIfAbsent(reported.namespace(), ns -> new ConcurrentHashMap<>());
                            MemoryEntry old = entries.get(reported.key());
                            entries.put(reported.key(), new MemoryEntry(reported.namespace(), reported.key(),
                                    reported.value(), old != null ? old.createdAt() : at, at, null));
                            cache.invalidate(reported.namespace(), reported.key());
                        }
                    }
                    case DELETE -> {
                        remove(reported.namespace(), reported.key());
                        cache.invalidate(reported.namespace(), reported.key());
                    }
                    default -> {
                        // Reads change nothing.
                    }
                }
            }
            return record(reported);
        });
    }

    /**
     * Applies a write or delete another instance (or a checkpoint) performed, raising nothing and counting nothing
     * (io.swarmcast.replica). A null value deletes. The time-to-live is not carried by the event, so a replicated
     * entry keeps until deleted.
     */
    public void restore(String namespace, String key, JsonNode value, long at) {
        lock.run(() -> {
            if (value == null) {
                remove(namespace, key);
            } else {
                Map<String, MemoryEntry> entries = namespaces.computeIfAbsent(namespace, ns -> new ConcurrentHashMap<>());
                MemoryEntry old = entries.get(key);
                entries.put(key, new MemoryEntry(namespace, key, value, old != null ? old.createdAt() : at, at, null));
            }
            cache.invalidate(namespace, key);
        });
    }

    /** Every live entry of every namespace, ordered by namespace and key (what a checkpoint holds). */
    public List<MemoryEntry> allEntries() {
        return lock.call(() -> {
            long now = clock.getAsLong();
            List<MemoryEntry> all = new ArrayList<>();
            for (Map<String, MemoryEntry> entries : namespaces.values()) {
                for (MemoryEntry entry : entries.values()) {
                    if (live(entry, now) != null) {
                        all.add(entry);
                    }
                }
            }
            all.sort(Comparator.comparing(MemoryEntry::namespace).thenComparing(MemoryEntry::key));
            return all;
        });
    }

    /** Operations over the last second. */
    public double operationsPerSecond() {
        return rate.perSecond();
    }

    /** Removes expired entries; lookups already ignore them, this frees their memory. */
    @Scheduled(fixedDelayString = "PT30S")
    public void purgeExpired() {
        long now = clock.getAsLong();
        for (Map<String, MemoryEntry> entries : namespaces.values()) {
            entries.values().removeIf(entry -> entry.expiredAt(now));
        }
    }

    private boolean contains(MemoryEntry entry, String needle) {
        if (entry.key().toLowerCase(Locale.ROOT).contains(needle)) {
            return true;
        }
        JsonNode value = entry.value();
        String text = value.isString() ? value.stringValue() : mapper.writeValueAsString(value);
        return text.toLowerCase(Locale.ROOT).contains(needle);
    }

    private static String describeQuery(String prefix, String text) {
        if (prefix != null && text != null) {
            return "prefix:" + prefix + " " + text;
        }
        return prefix != null ? "prefix:" + prefix : text != null ? text : "*";
    }

    private MemoryEntry remove(String namespace, String key) {
        Map<String, MemoryEntry> entries = namespaces.get(namespace);
        return entries == null ? null : entries.remove(key);
    }

    private Map<String, MemoryEntry> entries(String namespace) {
        return namespaces.getOrDefault(namespace, Map.of());
    }

    private static MemoryEntry live(MemoryEntry entry, long now) {
        return entry == null || entry.expiredAt(now) ? null : entry;
    }

    private MemoryOperationPerformed record(MemoryOperation operation) {
        rate.record();
        MemoryOperationPerformed performed = new MemoryOperationPerformed(operation, swarmId);
        events.publishEvent(performed);
        return performed;
    }

    /** An operation of this service: succeeded, timed from {@code startedNanos}; the caller adds what it touched. */
    private static MemoryOperation.MemoryOperationBuilder measured(MemoryOperationType operation, String namespace,
                                                                   String agentId, long startedNanos, long now) {
        return MemoryOperation.builder().operation(operation).namespace(namespace).agentId(agentId)
                .latency(millisSince(startedNanos)).success(true).timestamp(now);
    }

    private static double millisSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000.0;
    }
}
