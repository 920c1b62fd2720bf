package io.swarmcast.log;

import io.swarmcast.event.Channel;
import io.swarmcast.event.DashboardEvent;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The default event log: a ring of the newest {@code capacity} events in this process. Its epoch is new
 * at every start, since its seqs restart from 1.
 *
 * <p>Appends take the log's lock (they assign seqs and feed the tail in order); reads take none. A read
 * copies up to a whole history (a resume, a replay), and appends run under the domain lock, so a read
 * holding the log's lock would stall every publisher for as long as it copies. Instead each slot is
 * published safely ({@link AtomicReferenceArray}), a slot is written before {@code newestSeq} moves past
 * it, and a reader checks each event's own seq: a slot holding a newer seq than the one looked for was
 * overwritten while the read went on, so the history no longer reaches back that far, and the read
 * starts over from the oldest event still held (an answer is always a contiguous run, never one with a
 * hole in it).
 */
public final class InMemoryEventLog implements EventLog {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final AtomicReferenceArray<StoredEvent> ring;
    private final int capacity;
    private final String epoch = newEpoch();
    private final Object lock = new Object();
    /** Written only under the lock, after the slot of that seq: a reader that sees it sees the slot. */
    private volatile long newestSeq;
    /** The newest timestamp among events the ring has dropped, so a read by time knows whether it reaches back. */
    private volatile long droppedNewestTimestamp = Long.MIN_VALUE;
    private volatile TailListener tail = event -> { };

    public InMemoryEventLog(int capacity) {
        this.capacity = capacity;
        this.ring = new AtomicReferenceArray<>(capacity);
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
                long seq = newestSeq + 1;
                StoredEvent storedEvent = new StoredEvent(seq, event);
                int slot = slot(seq);
                StoredEvent dropped = ring.get(slot);
                if (dropped != null) {
                    // Before the slot changes: a read by time that then misses the dropped event knows it.
                    droppedNewestTimestamp = Math.max(droppedNewestTimestamp, dropped.event().timestamp());
                }
                ring.set(slot, storedEvent);
                newestSeq = seq;
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
        return newestSeq;
    }

    @Override
    public long oldestSeq() {
        return oldestHeld(newestSeq);
    }

    @Override
    public int size() {
        long newest = newestSeq;
        return (int) (newest - oldestHeld(newest) + 1);
    }

    @Override
    public History readAfter(long afterSeq, long upToSeq, Set<Channel> channels, int limit) {
        long newest = newestSeq;
        long last = Math.min(upToSeq, newest);
        boolean reachesBack = afterSeq >= oldestHeld(newest) - 1;
        List<StoredEvent> events = new ArrayList<>(Math.min(limit, 256));
        // afterSeq may be Long.MAX_VALUE (a client's sinceSeq): afterSeq + 1 would wrap round to the whole history.
        long seq = afterSeq >= last ? last + 1 : Math.max(afterSeq + 1, oldestHeld(newest));
        while (seq <= last) {
            StoredEvent event = ring.get(slot(seq));
            if (event.seq() != seq) {
                // Overwritten during the read: what was gathered no longer joins up with what is still held.
                reachesBack = false;
                events.clear();
                seq = Math.max(seq + 1, oldestHeld(newestSeq));
                continue;
            }
            if (channels.contains(event.event().channel())) {
                if (events.size() == limit) {
                    return new History(events, reachesBack, true);
                }
                events.add(event);
            }
            seq++;
        }
        return new History(events, reachesBack, false);
    }

    @Override
    public History readSince(long since, Set<Channel> channels, int limit) {
        long newest = newestSeq;
        List<StoredEvent> events = new ArrayList<>(Math.min(limit, 256));
        long seq = oldestHeld(newest);
        boolean cut = false;
        while (seq <= newest) {
            StoredEvent event = ring.get(slot(seq));
            if (event.seq() != seq) {
                events.clear();
                seq = Math.max(seq + 1, oldestHeld(newestSeq));
                continue;
            }
            if (event.event().timestamp() >= since && channels.contains(event.event().channel())) {
                if (events.size() == limit) {
                    cut = true;
                    break;
                }
                events.add(event);
            }
            seq++;
        }
        // Read after the events: an event dropped while reading is counted, so the answer is never too confident.
        boolean reachesBack = since > droppedNewestTimestamp;
        return new History(events, reachesBack, cut);
    }

    @Override
    public void tail(TailListener listener) {
        this.tail = listener;
    }

    private long oldestHeld(long newest) {
        return Math.max(1, newest - capacity + 1);
    }

    private int slot(long seq) {
        return (int) ((seq - 1) % capacity);
    }
}
