package io.swarmcast.trace;

import io.swarmcast.event.Trace;
import io.swarmcast.log.StateTailListener;
import io.swarmcast.log.StoredEvent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * From a {@code traceId} to the events of that trace still in the retained history, in seq order, so that
 * {@code GET /api/trace/{traceId}} costs the trace's own events and never a scan of the history.
 *
 * <p>A tail listener, chained ahead of delivery like the shared log's state fold: it sees every appended event once,
 * in seq order, whichever log keeps them. It holds references to the stored events with a {@code traceId} (the
 * in-memory ring already holds the same objects, so there it costs only the index's own entries) and forgets each
 * once it falls out of the history window: an event with seq {@code s} is kept while
 * {@code s > newest - historySize}, which is exactly what the in-memory ring keeps (the Redis stream keeps about
 * as much, {@code MAXLEN ~}). Forgetting happens when a traced event arrives, and reads skip what a stream of
 * untraced events has pushed out meanwhile, so an untraced event costs one volatile write and nothing else.
 * Memory is therefore bounded by the history: at most {@code historySize} entries.
 *
 * <p>It covers the events its tail handed on: with the in-memory log, every event of the log's life; with the Redis
 * log, those read since this instance started (its tail starts at the newest seq). {@link #coversFromSeq()} says
 * from where, so an answer about older history can say it is incomplete.
 */
public class TraceIndex implements StateTailListener {

    private final int historySize;
    /** Every indexed event, oldest first: the order in which they leave the window. */
    private final ArrayDeque<StoredEvent> window = new ArrayDeque<>();
    private final Map<String, ArrayDeque<StoredEvent>> byTrace = new HashMap<>();
    /** The newest seq handed on; written only by the tail's thread. */
    private volatile long newestSeq;
    /** The first seq handed on since the index (re)started; 0 while none was. */
    private volatile long coversFromSeq;

    public TraceIndex(int historySize) {
        this.historySize = historySize;
    }

    @Override
    public void appended(StoredEvent event) {
        if (coversFromSeq == 0) {
            coversFromSeq = event.seq();
        }
        newestSeq = event.seq();
        String traceId = Trace.traceIdOf(event.event());
        if (traceId == null) {
            return;
        }
        synchronized (this) {
            forgetOlderThan(oldestKept(event.seq()));
            window.addLast(event);
            byTrace.computeIfAbsent(traceId, id -> new ArrayDeque<>()).addLast(event);
        }
    }

    /** The log started over (a new epoch) or events were lost before the tail read them: what is indexed is history. */
    @Override
    public synchronized void historyBroken(String epoch, long fromSeq) {
        window.clear();
        byTrace.clear();
        coversFromSeq = fromSeq;
        newestSeq = fromSeq - 1;
    }

    /**
     * The events of one trace with {@code seq > afterSeq}, oldest first, at most {@code limit}.
     *
     * @return the events, and whether more matched than the limit let through; an empty list when the trace has no
     *         event in the window at all (the caller answers 404) or none after {@code afterSeq}
     */
    public synchronized Lookup lookup(String traceId, long afterSeq, int limit) {
        ArrayDeque<StoredEvent> events = byTrace.get(traceId);
        long oldestKept = oldestKept(newestSeq);
        if (events == null || events.peekLast().seq() < oldestKept) {
            return new Lookup(List.of(), false, false);
        }
        List<StoredEvent> found = new ArrayList<>(Math.min(limit, events.size()));
        boolean cut = false;
        for (StoredEvent event : events) {
            if (event.seq() <= afterSeq || event.seq() < oldestKept) {
                continue;
            }
            if (found.size() == limit) {
                cut = true;
                break;
            }
            found.add(event);
        }
        return new Lookup(found, true, cut);
    }

    /** The first seq this index saw, or 0 before any: older events of the log are not in it. */
    public long coversFromSeq() {
        return coversFromSeq;
    }

    /** The oldest seq still in the history window, as far as this index can tell. */
    public long oldestKept() {
        return oldestKept(newestSeq);
    }

    /** How many events the index holds now (for tests and health). */
    public synchronized int size() {
        return window.size();
    }

    private long oldestKept(long newest) {
        return Math.max(1, newest - historySize + 1);
    }

    private void forgetOlderThan(long oldestKept) {
        while (!window.isEmpty() && window.peekFirst().seq() < oldestKept) {
            StoredEvent old = window.pollFirst();
            String traceId = Trace.traceIdOf(old.event());
            ArrayDeque<StoredEvent> events = byTrace.get(traceId);
            // The oldest indexed event is the oldest of its own trace: both are in seq order.
            events.pollFirst();
            if (events.isEmpty()) {
                byTrace.remove(traceId);
            }
        }
    }

    /**
     * @param events     the trace's events asked for, oldest first
     * @param known      whether the trace has any event in the window
     * @param cutByLimit whether more matched than the limit let through
     */
    public record Lookup(List<StoredEvent> events, boolean known, boolean cutByLimit) {
    }
}
