package io.swarmcast.timeline;

import io.swarmcast.agent.Agent;
import io.swarmcast.event.Channel;
import io.swarmcast.log.EventLog;
import io.swarmcast.log.History;
import io.swarmcast.log.StateTailListener;
import io.swarmcast.log.StoredEvent;
import io.swarmcast.memory.MemoryEntry;
import io.swarmcast.swarm.SwarmTopology;
import io.swarmcast.task.Task;
import lombok.extern.slf4j.Slf4j;

import java.util.ArrayList;
import java.util.List;

/**
 * The swarm at any point of the retained history: {@link #stateAt(long)} and {@link #stateAtTime(long)}.
 *
 * <p>A tail listener ahead of delivery: it folds every event of the log, in seq order, into a {@link TimelineFold}
 * of its own (independent of the live services) and keeps a checkpoint, an immutable {@link PointState}, every
 * {@code checkpoint-every} events, at most {@code max-checkpoints} of them. A point is answered from the newest
 * checkpoint at or before it plus the events after it read from the log: at most {@code checkpoint-every} events
 * folded per answer, whatever the history's size. Checkpoints share what did not change between them
 * ({@link SharedMap}), so each costs about what changed since the one before.
 *
 * <p>With the in-memory log it starts at seq 0 with the process, like the log. With the Redis log the tail starts
 * where the startup catch-up ended: io.swarmcast.replica hands it the state caught up to then
 * ({@link #startFrom}), so points before this instance started are 410 (in-memory checkpoints, built while
 * tailing; docs/architecture.md, "Time travel").
 */
@Slf4j
public final class Timeline implements StateTailListener {

    private final EventLog eventLog;
    private final int checkpointEvery;
    private final int maxCheckpoints;
    private final long retentionMillis;
    /** Oldest first; guarded by itself. The newest checkpoint's state shares the fold's nodes. */
    private final List<PointState> checkpoints = new ArrayList<>();
    /** Written by the tail only (one thread at a time, in seq order). */
    private TimelineFold fold;
    private long sinceCheckpoint;

    public Timeline(EventLog eventLog, int checkpointEvery, int maxCheckpoints, long retentionMillis) {
        this.eventLog = eventLog;
        this.checkpointEvery = checkpointEvery;
        this.maxCheckpoints = maxCheckpoints;
        this.retentionMillis = retentionMillis;
        long start = eventLog.newestSeq();
        if (start == 0) {
            this.fold = TimelineFold.startingAt(0);
            checkpoint();
        }
    }

    /** How long finished tasks stay in a point's active set ({@code tasks.finished-retention}). */
    public long retentionMillis() {
        return retentionMillis;
    }

    /**
     * Starts the fold from a state known to be the fold of the log up to {@code seq} (the shared log's startup
     * catch-up, io.swarmcast.replica): the timeline answers points from there on.
     */
    public void startFrom(long seq, List<Agent> agents, List<Task> tasks, SwarmTopology topology,
                          List<MemoryEntry> memory) {
        TimelineFold start = TimelineFold.seeded(seq, agents, tasks, topology, memory);
        synchronized (checkpoints) {
            checkpoints.clear();
        }
        fold = start;
        sinceCheckpoint = 0;
        checkpoint();
    }

    @Override
    public void appended(StoredEvent event) {
        if (fold == null) {
            // A shared log's tail with no state handed over first (Redis was unreachable at startup): the live state
            // started empty too, and so does the timeline, from here.
            log.warn("timeline starts at seq {} without the state before it", event.seq() - 1);
            fold = TimelineFold.startingAt(event.seq() - 1);
            checkpoint();
        }
        try {
            fold.apply(event);
        } catch (RuntimeException e) {
            // One bad event must not stop the tail (nor the delivery behind it).
            log.error("event {} could not be folded into the timeline: {}", event.seq(), e.toString());
        }
        if (++sinceCheckpoint >= checkpointEvery) {
            fold.forgetFinishedTasks(retentionMillis);
            checkpoint();
        }
    }

    @Override
    public void historyBroken(String epoch, long fromSeq) {
        // The log's seqs restart (or jump): the state goes on, the old checkpoints' seqs mean nothing any more.
        if (fold == null) {
            fold = TimelineFold.startingAt(fromSeq - 1);
        }
        fold.renumber(fromSeq - 1);
        synchronized (checkpoints) {
            checkpoints.clear();
        }
        checkpoint();
    }

    private void checkpoint() {
        PointState state = fold.freeze();
        sinceCheckpoint = 0;
        long keepFrom = eventLog.oldestSeq() - 1;
        synchronized (checkpoints) {
            checkpoints.add(state);
            // A checkpoint whose following events the log no longer holds can answer nothing; nor beyond the bound.
            while (checkpoints.size() > 1 && (checkpoints.size() > maxCheckpoints || checkpoints.get(1).seq() <= keepFrom)) {
                checkpoints.remove(0);
            }
        }
    }

    /** The number of checkpoints held now (at most {@code max-checkpoints}). */
    public int checkpointCount() {
        synchronized (checkpoints) {
            return checkpoints.size();
        }
    }

    /**
     * The state right after event {@code seq}.
     *
     * @throws PointUnavailableException when {@code seq} is older than what is retained (410), or beyond the
     *                                   log's newest seq (400)
     */
    public PointState stateAt(long seq) {
        long newest = eventLog.newestSeq();
        if (seq > newest) {
            throw PointUnavailableException.beyondHead(seq, newest);
        }
        PointState base = floor(seq);
        if (base == null) {
            throw trimmed(seq);
        }
        if (base.seq() == seq) {
            return base;
        }
        History history = eventLog.readAfter(base.seq(), seq, Channel.DURABLE, (int) Math.min(Integer.MAX_VALUE, seq - base.seq()));
        if (!history.reachesBack() || history.events().size() != seq - base.seq()) {
            throw trimmed(seq);
        }
        TimelineFold replay = TimelineFold.from(base);
        for (StoredEvent event : history.events()) {
            replay.apply(event);
        }
        return replay.freeze();
    }

    /**
     * The state at time {@code time} (ms): after the longest run of events from the start of the log whose
     * timestamps are all at or before it; a time after the newest event's is the newest state.
     */
    public PointState stateAtTime(long time) {
        PointState base;
        synchronized (checkpoints) {
            base = null;
            for (int i = checkpoints.size() - 1; i >= 0; i--) {
                if (checkpoints.get(i).maxTimestamp() <= time) {
                    base = checkpoints.get(i);
                    break;
                }
            }
            if (base == null && !checkpoints.isEmpty() && checkpoints.get(0).seq() == 0) {
                base = checkpoints.get(0); // nothing had happened yet at that time
            }
        }
        if (base == null || base.seq() < eventLog.oldestSeq() - 1) {
            throw trimmed(null);
        }
        TimelineFold replay = TimelineFold.from(base);
        long after = base.seq();
        int page = 1024;
        while (true) {
            History history = eventLog.readAfter(after, Long.MAX_VALUE, Channel.DURABLE, page);
            if (!history.reachesBack()) {
                throw trimmed(null);
            }
            for (StoredEvent event : history.events()) {
                if (event.event().timestamp() > time) {
                    return replay.freeze();
                }
                replay.apply(event);
                after = event.seq();
            }
            if (!history.cutByLimit()) {
                return replay.freeze();
            }
        }
    }

    /** The oldest point that can be answered now: its seq and time, or null when none can. */
    public PointState oldestAvailable() {
        long keepFrom = eventLog.oldestSeq() - 1;
        synchronized (checkpoints) {
            for (PointState checkpoint : checkpoints) {
                if (checkpoint.seq() >= keepFrom) {
                    return checkpoint;
                }
            }
        }
        return null;
    }

    private PointState floor(long seq) {
        synchronized (checkpoints) {
            PointState found = null;
            int low = 0;
            int high = checkpoints.size() - 1;
            while (low <= high) {
                int mid = (low + high) >>> 1;
                PointState candidate = checkpoints.get(mid);
                if (candidate.seq() <= seq) {
                    found = candidate;
                    low = mid + 1;
                } else {
                    high = mid - 1;
                }
            }
            return found;
        }
    }

    private PointUnavailableException trimmed(Long seq) {
        PointState oldest = oldestAvailable();
        return PointUnavailableException.trimmed(seq, oldest == null ? eventLog.newestSeq() : oldest.seq(),
                oldest == null ? null : oldest.maxTimestamp());
    }
}
