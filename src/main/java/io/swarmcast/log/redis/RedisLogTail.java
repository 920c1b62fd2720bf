package io.swarmcast.log.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.swarmcast.DaemonThreads;
import io.swarmcast.event.DashboardEvent;
import io.swarmcast.log.EventJson;
import io.swarmcast.log.EventLog;
import io.swarmcast.log.StoredEvent;
import lombok.extern.slf4j.Slf4j;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads every event of the shared log, in seq order, and hands each to the tail listener exactly once: this
 * instance's own appends like every other instance's. No consumer group: each instance reads the whole stream.
 *
 * <p>One thread, one dedicated connection, a blocking {@code XREAD} from the last seq handed on. After any failure
 * (Redis down, paused, restarted) it closes the connection and tries again with a growing pause, then goes on
 * from that same seq: nothing is handed on twice, nothing skipped. Each time it (re)connects, and whenever a read
 * waited {@code block} for nothing, it runs the open script: a changed epoch means the log lost its history and
 * restarted its seqs, which the listener learns ({@link EventLog.TailListener#historyBroken}) before the new
 * epoch's first event. Entries carry their epoch too, so a restart is noticed even while events keep coming.
 */
@Slf4j
final class RedisLogTail {

    static final int READ_COUNT = 512;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(50);

    private final Supplier<TailConnection> connections;
    private final RedisLogKeys keys;
    private final String openScript;
    private final Supplier<String> newEpoch;
    private final EventJson json;
    private final OwnAppends ownAppends;
    /** This process's origin, the prefix of field {@code o} in the entries it appended. */
    private final String ownOrigin;
    /** The longest an own entry waits for its append's answer (which times out by then anyway). */
    private final Duration settleWait;
    private final Duration block;
    private final Duration maxBackoff;
    private final Reachability reachability;
    private Thread thread;
    private volatile EventLog.TailListener listener = event -> { };
    private volatile boolean closed;
    private volatile TailConnection current;

    /** The epoch whose events are being handed on; null until Redis was first reached. */
    private volatile String epoch;
    /** The newest seq handed on in {@link #epoch}. */
    private volatile long deliveredSeq;

    /** Told whenever Redis answered, or failed to. */
    interface Reachability {
        void reached();

        void failed(RuntimeException e);
    }

    RedisLogTail(Supplier<TailConnection> connections, RedisLogKeys keys, String openScript, Supplier<String> newEpoch,
                 EventJson json, OwnAppends ownAppends, String ownOrigin, Duration settleWait, Duration block,
                 Duration maxBackoff, Reachability reachability) {
        this.connections = connections;
        this.keys = keys;
        this.openScript = openScript;
        this.newEpoch = newEpoch;
        this.json = json;
        this.ownAppends = ownAppends;
        this.ownOrigin = ownOrigin + ':';
        this.settleWait = settleWait.plusSeconds(1);
        this.block = block;
        this.maxBackoff = maxBackoff;
        this.reachability = reachability;
    }

    /** Where to start: live events after {@code newestSeq} of {@code epoch}, as the log stood when the instance started. */
    void startAfter(LogPosition position) {
        if (epoch == null) {
            epoch = position.epoch();
            deliveredSeq = position.newestSeq();
        }
    }

    String epoch() {
        return epoch;
    }

    long deliveredSeq() {
        return deliveredSeq;
    }

    /** Starts reading on a new thread, from where the tail stands; a stopped tail can start again. */
    synchronized void start(EventLog.TailListener listener) {
        this.listener = listener;
        if (thread != null) {
            return;
        }
        closed = false;
        thread = DaemonThreads.named("swarmcast-log-tail").newThread(this::readUntilClosed);
        thread.start();
    }

    /** Stops reading: closes the connection under a blocked read and waits for the thread to end. */
    synchronized void stop() {
        if (thread == null) {
            return;
        }
        closed = true;
        TailConnection connection = current;
        if (connection != null) {
            connection.close();
        }
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }

    private void readUntilClosed() {
        Duration backoff = FIRST_BACKOFF;
        boolean failing = false;
        while (!closed) {
            try (TailConnection connection = connections.get()) {
                current = connection;
                long readFrom = checkEpoch(connection);
                reachability.reached();
                if (failing) {
                    log.info("event log reachable again: the tail goes on after seq {} of epoch {}", deliveredSeq, epoch);
                    failing = false;
                }
                backoff = FIRST_BACKOFF;
                while (!closed) {
                    readFrom = readOnce(connection, readFrom);
                }
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                reachability.failed(e);
                if (!failing) {
                    log.warn("event log unreachable, the tail retries from seq {}: {}", deliveredSeq, e.toString());
                    failing = true;
                }
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            } finally {
                current = null;
            }
        }
    }

    /** One blocking read and the handing on of what it got; returns the seq to read after next. */
    private long readOnce(TailConnection connection, long readFrom) {
        List<StreamMessage<String, String>> entries = connection.streams.xread(
                XReadArgs.Builder.block(block.toMillis()).count(READ_COUNT),
                XReadArgs.StreamOffset.from(keys.stream(), RedisLogKeys.id(readFrom)));
        reachability.reached();
        if (entries == null || entries.isEmpty()) {
            return checkEpoch(connection);
        }
        for (StreamMessage<String, String> entry : entries) {
            long seq = RedisLogKeys.seq(entry.getId());
            Map<String, String> body = entry.getBody();
            String entryEpoch = body.get("ep");
            if (entryEpoch != null && !epoch.equals(entryEpoch)) {
                // The log restarted while events kept coming: read the new epoch from its start.
                newEpochBegins(entryEpoch);
                return 0;
            }
            if (seq > deliveredSeq) {
                if (seq != deliveredSeq + 1) {
                    log.warn("events {} to {} of epoch {} were trimmed from the log before this instance read them",
                            deliveredSeq + 1, seq - 1, epoch);
                    listener.historyBroken(epoch, seq);
                }
                deliver(seq, body);
            }
            readFrom = seq;
        }
        return readFrom;
    }

    private void deliver(long seq, Map<String, String> body) {
        String origin = body.get("o");
        if (origin != null && origin.startsWith(ownOrigin)) {
            // Read before its append's answer reached this instance: wait for it, so the seqs are known (to the
            // publications, to the state fold's record of own writes) before the event is folded or delivered.
            ownAppends.awaitSettled(Long.parseLong(origin.substring(ownOrigin.length())), settleWait);
        }
        deliveredSeq = seq;
        StoredEvent own = ownAppends.take(epoch, seq);
        if (own != null) {
            // This instance's own event: the object it appended, no need to decode the entry.
            listener.appended(own);
            return;
        }
        DashboardEvent event;
        try {
            event = json.read(body.get("k"), body.get("e"));
        } catch (IllegalArgumentException e) {
            // Written by something else than this version of Swarmcast: skip it rather than stop the tail for good.
            log.error("event {} of epoch {} cannot be read and is skipped: {}", seq, epoch, e.getMessage());
            return;
        }
        listener.appended(new StoredEvent(seq, event));
    }

    /**
     * Runs the open script: the log's epoch, created if the log has none. Returns the seq to read after: where the
     * tail stands in its epoch, or 0 when a new epoch began.
     */
    private long checkEpoch(TailConnection connection) {
        String answer = connection.scripts.eval(openScript, ScriptOutputType.VALUE,
                new String[] {keys.meta(), keys.stream()}, newEpoch.get());
        LogPosition position = LogPosition.parse(answer);
        if (epoch == null) {
            // Redis was unreachable when the instance started: go live from here.
            epoch = position.epoch();
            deliveredSeq = position.newestSeq();
        } else if (!epoch.equals(position.epoch())) {
            newEpochBegins(position.epoch());
            return 0;
        }
        return deliveredSeq;
    }

    private void newEpochBegins(String newEpoch) {
        log.warn("the event log lost its history: epoch {} (seq {}) is followed by epoch {}, whose seqs restart at 1",
                epoch, deliveredSeq, newEpoch);
        epoch = newEpoch;
        deliveredSeq = 0;
        ownAppends.clear();
        listener.historyBroken(newEpoch, 1);
    }

    private void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }
}
