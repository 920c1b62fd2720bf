package io.swarmcast.log.redis;

import io.swarmcast.log.StoredEvent;

import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The events this instance appended and its tail has not read back yet, by seq. The tail reads every event of the
 * stream, this instance's own included; for its own it takes the event object appended here instead of decoding the
 * entry's JSON again (what the entry holds is that event, written losslessly). Purely a saving: an event the tail
 * reaches before its append's answer was noted here (the tail's connection can be faster than the append's) is
 * decoded as any other instance's, and what was noted then is dropped as soon as the tail is past it.
 */
final class OwnAppends {

    /** Beyond this many (a tail stopped for long), nothing more is noted until the tail catches up. */
    static final int MAX_HELD = 65_536;

    private record Own(String epoch, StoredEvent stored) {
    }

    private final ConcurrentSkipListMap<Long, Own> bySeq = new ConcurrentSkipListMap<>();

    /** Notes a run the append script placed in {@code epoch}; {@code deliveredSeq} is where the tail stands. */
    void appended(String epoch, List<StoredEvent> run, long deliveredSeq) {
        // Whatever the tail already passed will never be taken: decoded while its answer was on its way.
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
