package io.swarmcast.server;

import io.swarmcast.event.Channel;
import io.swarmcast.log.History;
import io.swarmcast.log.StoredEvent;

import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One connection's playback: where it is in the log, its speed and its clock. Every method runs on the playback
 * scheduler's one thread ({@link Playbacks}), so nothing here is shared.
 *
 * <p>Pacing: an event is due at {@code anchorNanos + (its time - anchorTime) / speed}. The anchor is the first event
 * played after a start or seek (which goes out at once), and the last one played when the client resumes: so the
 * spacing between events is kept, divided by the speed, and a pause does not count. Event times that go backwards
 * count as the newest played so far, so they go out at once, in seq order. A due event waits on the
 * scheduler, never on a thread of its own. Backpressure: before each event the client's queued answers are checked,
 * and past {@link Playbacks#QUEUE_HIGH_WATER} the playback looks again a little later instead of reading on; the log
 * is read {@code timeline.playback-page} events at a time, once the previous page went out. A client that does not
 * read therefore holds at most that much, until the send-time limit closes it.
 */
final class PlaybackSession {

    final ClientSession session;
    /** The connection's swarm when the playback started (null: the default one); only its events are played. */
    final String swarm;
    final Set<Channel> channels;
    final Long toSeq;
    final double speed;
    private final ArrayDeque<StoredEvent> page = new ArrayDeque<>();
    /** The start point asked for (a seek before the start replaces it): exactly one of the two is set. */
    Long startSeq;
    Long startTime;
    boolean started;
    boolean paused;
    boolean finished;
    /** Every event of the channels up to this seq has been read from the log (the page holds the rest). */
    long cursor;
    /** The last event sent, or the point of the snapshot while none was. */
    long playedSeq;
    long anchorNanos;
    long anchorTime;
    long newestTime;
    ScheduledFuture<?> pending;

    PlaybackSession(ClientSession session, ClientRequest.Playback request, Set<Channel> channels) {
        this.session = session;
        this.swarm = session.swarm();
        this.channels = channels;
        this.toSeq = request.toSeq();
        this.speed = request.speed();
        this.startSeq = request.fromSeq();
        this.startTime = request.from();
    }

    private static final long UNSET = Long.MIN_VALUE;

    /** Goes on from a point: the snapshot was sent, the next event is the first after {@code seq}, due at once. */
    void positionAt(long seq) {
        page.clear();
        cursor = seq;
        playedSeq = seq;
        newestTime = UNSET;
        anchorTime = UNSET;
    }

    /** Restarts the clock here: the next event is due its spacing from the last one played, counted from now. */
    void anchor(long nowNanos) {
        anchorNanos = nowNanos;
        anchorTime = newestTime;
    }

    /** The seq to read up to now: {@code toSeq}, or the log's newest while it has none. */
    long end(long newestSeq) {
        return toSeq != null ? Math.min(toSeq, newestSeq) : newestSeq;
    }

    boolean reachedEnd(long newestSeq) {
        return page.isEmpty() && cursor >= end(newestSeq);
    }

    boolean needsPage() {
        return page.isEmpty();
    }

    /** Takes a page read after {@link #cursor}; false when the log no longer holds what follows it. */
    boolean take(History history, long readUpTo) {
        if (!history.reachesBack()) {
            return false;
        }
        // The same rule as live delivery (ClientSession.receives): the connection's swarm's events only. The cursor
        // still moves past the other swarms' events read.
        for (StoredEvent event : history.events()) {
            if (java.util.Objects.equals(event.event().swarmId(), swarm)) {
                page.add(event);
            }
        }
        cursor = history.cutByLimit() && !history.events().isEmpty()
                ? history.events().get(history.events().size() - 1).seq() : readUpTo;
        return true;
    }

    /** Nanoseconds until the next event is due (0 or less: now). */
    long nanosUntilNext(long nowNanos) {
        if (speed == 0) {
            return 0;
        }
        long time = Math.max(newestTime, page.peek().event().timestamp());
        if (anchorTime == UNSET) {
            anchorTime = time;
            anchorNanos = nowNanos;
        }
        long due = anchorNanos + (long) (TimeUnit.MILLISECONDS.toNanos(time - anchorTime) / speed);
        return due - nowNanos;
    }

    StoredEvent next() {
        StoredEvent event = page.poll();
        newestTime = Math.max(newestTime, event.event().timestamp());
        playedSeq = event.seq();
        return event;
    }

    void cancelPending() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }
}
