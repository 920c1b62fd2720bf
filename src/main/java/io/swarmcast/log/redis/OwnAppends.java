package io.swarmcast.log.redis;

import io.swarmcast.log.StoredEvent;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * This instance's appends as its tail meets them again. Two things:
 *
 * <ul>
 *   <li><b>Which appends are unanswered.</b> An append's answer (its seqs) arrives after the lock that ordered it is
 *   released, and the tail's connection can read its entries first. Each entry names its append (field {@code o},
 *   {@code <origin>:<number>}, the origin unique to this process), and the tail hands on none of this instance's own
 *   entries before their append is settled ({@link #awaitSettled}): its seqs are then known everywhere (the
 *   publications, the state fold's record of own writes) before the event is folded or delivered. An answer is
 *   already on its way when the entry can be read, so the wait is short; an append that failed or timed out counts
 *   as settled too.</li>
 *   <li><b>The event objects.</b> For its own entries the tail takes the event object appended here instead of
 *   decoding the entry's JSON again (what the entry holds is that event, written losslessly). Purely a saving.</li>
 * </ul>
 */
final class OwnAppends {

    /** Beyond this many (a tail stopped for long), nothing more is noted until the tail catches up. */
    static final int MAX_HELD = 65_536;

    private record Own(String epoch, StoredEvent stored) {
    }

    private final ConcurrentSkipListMap<Long, Own> bySeq = new ConcurrentSkipListMap<>();
    private final Set<Long> unsettled = ConcurrentHashMap.newKeySet();
    private final Object settledSignal = new Object();

    /** Append {@code number} was sent; its answer has not come yet. */
    void sending(long number) {
        unsettled.add(number);
    }

    /** Append {@code number} was answered (or failed, or timed out). */
    void settled(long number) {
        unsettled.remove(number);
        synchronized (settledSignal) {
            settledSignal.notifyAll();
        }
    }

    /** Waits, at most {@code maxWait}, until append {@code number} is settled; returns whether it is. */
    boolean awaitSettled(long number, Duration maxWait) {
        if (!unsettled.contains(number)) {
            return true;
        }
        long deadline = System.nanoTime() + maxWait.toNanos();
        synchronized (settledSignal) {
            while (unsettled.contains(number)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    settledSignal.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    /** Notes a run the append script placed in {@code epoch}; {@code deliveredSeq} is where the tail stands. */
    void appended(String epoch, List<StoredEvent> run, long deliveredSeq) {
        // Whatever the tail already passed will never be taken.
        bySeq.headMap(deliveredSeq, true).clear();
        if (bySeq.size() >= MAX_HELD) {
            return;
        }
        for (StoredEvent stored : run) {
            bySeq.put(stored.seq(), new Own(epoch, stored));
        }
    }

    /** The event this instance appended as {@code seq} of {@code epoch}, taken out; null when it is not one. */
    StoredEvent take(String epoch, long seq) {
        Own own = bySeq.remove(seq);
        return own != null && own.epoch().equals(epoch) ? own.stored() : null;
    }

    /** After a break in the history: seqs restart, what is held means nothing any more. */
    void clear() {
        bySeq.clear();
    }

    int size() {
        return bySeq.size();
    }
}
