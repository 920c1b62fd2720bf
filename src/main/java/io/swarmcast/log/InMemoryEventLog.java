package io.swarmcast.log;

import io.swarmcast.event.Channel;
import io.swarmcast.event.DashboardEvent;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The default event log: a ring of the newest {@code capacity} events in this process. Its epoch is new
 * at every start, since its seqs restart from 1.
 */
public final class InMemoryEventLog implements EventLog {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final StoredEvent[] ring;
    private final String epoch = newEpoch();
    private final Object lock = new Object();
    private long newestSeq;
    /** The newest timestamp among events the ring has dropped, so a read by time knows whether it reaches back. */
    private long droppedNewestTimestamp = Long.MIN_VALUE;
    private volatile TailListener tail = event -> { };

    public InMemoryEventLog(int capacity) {
        this.ring = new StoredEvent[capacity];
    }

    static String newEpoch() {
        return Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
    }

    @Override
    public List<StoredEvent> append(List<? extends DashboardEvent> events) {
        List<StoredEvent> stored = new ArrayList<>(events.size());
        synchronized (lock) {
            for (DashboardEvent event : events) {
                if (!event.durable()) {
                    throw new IllegalArgumentException(event.type() + " is ephemeral and never enters the log");
                }
                StoredEvent storedEvent = new StoredEvent(++newestSeq, event);
                int slot = slot(newestSeq);
                StoredEvent dropped = ring[slot];
                if (dropped != null) {
                    droppedNewestTimestamp = Math.max(droppedNewestTimestamp, dropped.event().timestamp());
                }
                ring[slot] = storedEvent;
                stored.add(storedEvent);
                tail.appended(storedEvent);
            }
        }
        return stored;
    }

    @Override
    public String epoch() {
        return epoch;
    }

    @Override
    public long newestSeq() {
        synchronized (lock) {
            return newestSeq;
        }
    }

    @Override
    public long oldestSeq() {
        synchronized (lock) {
            return oldestHeld();
        }
    }

    @Override
    public int size() {
        synchronized (lock) {
            return (int) (newestSeq - oldestHeld() + 1);
        }
    }

    @Override
    public History readAfter(long afterSeq, long upToSeq, Set<Channel> channels, int limit) {
        synchronized (lock) {
            long oldest = oldestHeld();
            boolean reachesBack = afterSeq >= oldest - 1;
            List<StoredEvent> events = new ArrayList<>(Math.min(limit, 256));
            long last = Math.min(upToSeq, newestSeq);
            // afterSeq may be Long.MAX_VALUE (a client's sinceSeq): afterSeq + 1 would wrap round to the whole history.
            long first = afterSeq >= last ? last + 1 : Math.max(afterSeq + 1, oldest);
            for (long seq = first; seq <= last; seq++) {
                StoredEvent event = ring[slot(seq)];
                if (channels.contains(event.event().channel())) {
                    if (events.size() == limit) {
                        return new History(events, reachesBack, true);
                    }
                    events.add(event);
                }
            }
            return new History(events, reachesBack, false);
        }
    }

    @Override
    public History readSince(long since, Set<Channel> channels, int limit) {
        synchronized (lock) {
            boolean reachesBack = since > droppedNewestTimestamp;
            List<StoredEvent> events = new ArrayList<>(Math.min(limit, 256));
            for (long seq = oldestHeld(); seq <= newestSeq; seq++) {
                StoredEvent event = ring[slot(seq)];
                if (event.event().timestamp() >= since && channels.contains(event.event().channel())) {
                    if (events.size() == limit) {
                        return new History(events, reachesBack, true);
                    }
                    events.add(event);
                }
            }
            return new History(events, reachesBack, false);
        }
    }

    @Override
    public void tail(TailListener listener) {
        this.tail = listener;
    }

    private long oldestHeld() {
        return Math.max(1, newestSeq - ring.length + 1);
    }

    private int slot(long seq) {
        return (int) ((seq - 1) % ring.length);
    }
}
