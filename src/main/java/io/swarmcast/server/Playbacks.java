package io.swarmcast.server;

import io.swarmcast.DaemonThreads;
import io.swarmcast.event.Channel;
import io.swarmcast.event.DashboardEvent;
import io.swarmcast.event.FrameCodec;
import io.swarmcast.log.EventLog;
import io.swarmcast.log.History;
import io.swarmcast.log.StoredEvent;
import io.swarmcast.timeline.PointState;
import io.swarmcast.timeline.PointUnavailableException;
import io.swarmcast.timeline.Timeline;
import lombok.extern.slf4j.Slf4j;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Playback over WebSocket (docs/protocol.md 7.14): a client asks to see the log again from a point, at a speed, and
 * gets the state at that point ({@link Timeline}) as a snapshot, then the logged events with their original spacing
 * divided by the speed, each marked {@code "playback":true}. Live delivery to it is suspended meanwhile; on
 * {@code stop}, or at the end, it returns to live through a normal gapless resume from the last seq it had live.
 *
 * <p>Threads: one scheduler thread ({@code swarmcast-playback}) runs every playback of the server, all their
 * controls included, so a playback's state is never shared; events wait for their time as scheduled tasks, never in
 * a sleeping thread. Live delivery is suspended and resumed by tasks on the fan-out's ordered path, enqueued from that
 * one thread in program order, so they take effect exactly between two events and in the order asked.
 *
 * <p>Bounds: at most {@code timeline.max-playbacks} at once on the server, one per connection (a new
 * {@code playback} replaces the running one); the log is read a page at a time and only while the client's queued
 * answers stay under {@link #QUEUE_HIGH_WATER}, so a client that does not read holds at most that much.
 */
@Slf4j
final class Playbacks {

    /** Answer bytes queued for a client past which its playback waits instead of reading on (at most half the bound). */
    static final long QUEUE_HIGH_WATER = 256 * 1024;
    /** How long a playback held back by its client's queue waits before it looks again. */
    static final long DRAIN_POLL_MILLIS = 10;
    /** Events sent in one turn of the scheduler before the others' turn. */
    static final int TURN = 256;
    private static final byte[] MARK = ",\"playback\":true}".getBytes(StandardCharsets.UTF_8);

    private final EventLog eventLog;
    private final Timeline timeline;
    private final FanOut fanOut;
    private final ControlFrames frames;
    private final FrameCodec codec;
    private final SwarmProjections snapshots;
    private final int maxPlaybacks;
    private final int pageSize;
    private final int catchUpLimit;
    private final long highWater;
    private final AtomicInteger running = new AtomicInteger();
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("swarmcast-playback"));

    Playbacks(EventLog log, Timeline timeline, FanOut fanOut, ControlFrames frames, FrameCodec codec,
              SwarmProjections snapshots, int maxPlaybacks, int pageSize, int catchUpLimit, long replyBufferLimit) {
        this.eventLog = log;
        this.timeline = timeline;
        this.fanOut = fanOut;
        this.frames = frames;
        this.codec = codec;
        this.snapshots = snapshots;
        this.maxPlaybacks = maxPlaybacks;
        this.pageSize = pageSize;
        this.catchUpLimit = catchUpLimit;
        this.highWater = Math.min(QUEUE_HIGH_WATER, replyBufferLimit / 2);
    }

    /** Playbacks running now on this server. */
    int running() {
        return running.get();
    }

    void close() {
        scheduler.shutdownNow();
    }

    void start(ClientSession session, ClientRequest.Playback request) {
        run(() -> {
            if (session.outbound().isClosed()) {
                return; // closed meanwhile
            }
            PlaybackSession current = session.playback();
            if (current == null) {
                if (running.incrementAndGet() > maxPlaybacks) {
                    running.decrementAndGet();
                    error(session, ErrorCode.PLAYBACK_LIMIT, null, maxPlaybacks == 0 ? "playback is turned off on this server"
                            : "this server runs " + maxPlaybacks + " playbacks at most; try again later");
                    return;
                }
            } else {
                current.cancelPending();
                current.finished = true;
            }
            Set<Channel> channels = EnumSet.noneOf(Channel.class);
            channels.addAll(request.channels() != null ? request.channels()
                    : session.channels().isEmpty() ? Channel.DURABLE : session.channels());
            PlaybackSession playback = new PlaybackSession(session, request, channels);
            session.playback(playback);
            if (current == null) {
                // Live delivery stops exactly between two events; the playback begins once it has.
                fanOut.enqueueTask(deliveredSeq -> {
                    session.liveSuspendedAfter(deliveredSeq);
                    run(() -> begin(playback));
                });
                fanOut.wake();
            } else {
                begin(playback);
            }
        });
    }

    void pause(ClientSession session) {
        run(() -> withPlayback(session, playback -> {
            if (!playback.paused) {
                playback.paused = true;
                playback.cancelPending();
                send(playback.session, frames.playback("paused", gen -> gen.writeNumberProperty("seq", playback.playedSeq)));
            }
        }));
    }

    void resume(ClientSession session) {
        run(() -> withPlayback(session, playback -> {
            if (playback.paused) {
                playback.paused = false;
                playback.anchor(System.nanoTime());
                send(playback.session, frames.playback("resumed", gen -> gen.writeNumberProperty("seq", playback.playedSeq)));
                schedule(playback, 0);
            }
        }));
    }

    void seek(ClientSession session, ClientRequest.Seek request) {
        run(() -> withPlayback(session, playback -> {
            if (request.toSeq() != null && playback.toSeq != null && request.toSeq() > playback.toSeq) {
                error(session, ErrorCode.INVALID_FIELD, "toSeq", "seek must not go past the playback's toSeq, " + playback.toSeq);
                return;
            }
            if (!playback.started) {
                playback.startSeq = request.toSeq();
                playback.startTime = request.to();
                return; // begin() starts from there
            }
            PointState point = point(playback, request.toSeq(), request.to(), "toSeq", "to");
            if (point == null) {
                return;
            }
            playback.cancelPending();
            sendPoint(playback, "seeked", point);
            if (!playback.paused) {
                schedule(playback, 0);
            }
        }));
    }

    void stop(ClientSession session) {
        run(() -> withPlayback(session, playback -> finish(playback, "stopped")));
    }

    /** The connection closed: its playback ends without a word. */
    void closed(ClientSession session) {
        run(() -> {
            PlaybackSession playback = session.playback();
            if (playback != null) {
                playback.cancelPending();
                playback.finished = true;
                session.playback(null);
                running.decrementAndGet();
            }
        });
    }

    private void begin(PlaybackSession playback) {
        if (playback.finished || playback.session.playback() != playback) {
            return;
        }
        PointState point = point(playback, playback.startSeq, playback.startTime, "fromSeq", "from");
        if (point == null) {
            finish(playback, null);
            return;
        }
        playback.started = true;
        sendPoint(playback, "started", point);
        if (!playback.paused) {
            schedule(playback, 0);
        }
    }

    /** The state at the point asked for, or null (the client was told why). */
    private PointState point(PlaybackSession playback, Long seq, Long time, String seqField, String timeField) {
        try {
            return seq != null ? timeline.stateAt(seq) : timeline.stateAtTime(time);
        } catch (PointUnavailableException e) {
            String field = seq != null ? seqField : timeField;
            if (PointUnavailableException.BEYOND_HEAD.equals(e.getCode())) {
                error(playback.session, ErrorCode.INVALID_FIELD, field, e.getMessage());
            } else {
                send(playback.session, frames.historyTrimmed(e.getMessage(), field, e.getOldestSeq(), e.getOldestTime()));
            }
            return null;
        } catch (RuntimeException e) {
            log.warn("playback point for client {} could not be read: {}", playback.session.clientId(), e.toString());
            error(playback.session, ErrorCode.HISTORY_TRIMMED, null, "the history could not be read: " + e.getMessage());
            return null;
        }
    }

    /** The status frame and the snapshot at the point, as one answer; the playback goes on from there. */
    private void sendPoint(PlaybackSession playback, String status, PointState point) {
        List<WireFrame> answer = new ArrayList<>();
        answer.add(WireFrame.text(frames.playback(status, gen -> {
            gen.writeNumberProperty("atSeq", point.seq());
            gen.writeNumberProperty("atTime", point.maxTimestamp());
            if (playback.toSeq != null) {
                gen.writeNumberProperty("toSeq", playback.toSeq);
            }
            gen.writeNumberProperty("speed", playback.speed);
            ControlFrames.writeChannelList(gen, playback.channels);
        })));
        // The timeline folds the default swarm only: another swarm's playback starts without the state at the point
        // (docs/protocol.md 7.14), just its events from there.
        for (Channel channel : Channel.values()) {
            if (playback.swarm == null && playback.channels.contains(channel)) {
                for (DashboardEvent event : point.snapshot(channel, timeline.retentionMillis())) {
                    answer.add(marked(codec.write(event, 0, true).getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
        playback.session.enqueueAnswer(answer);
        playback.session.flush();
        playback.positionAt(point.seq());
    }

    /** One turn: sends what is due, as far as the client's queue allows, then schedules the next turn. */
    private void step(PlaybackSession playback) {
        playback.pending = null;
        if (playback.finished || playback.paused || !playback.started) {
            return;
        }
        OutboundQueue outbound = playback.session.outbound();
        for (int sent = 0; sent < TURN; sent++) {
            if (outbound.isClosed()) {
                return; // closed() follows
            }
            if (outbound.queuedAnswerBytes() > highWater) {
                schedule(playback, TimeUnit.MILLISECONDS.toNanos(DRAIN_POLL_MILLIS));
                return;
            }
            if (playback.needsPage()) {
                long newest = eventLog.newestSeq();
                if (playback.reachedEnd(newest)) {
                    finish(playback, "ended");
                    return;
                }
                long upTo = playback.end(newest);
                Set<Channel> durable = EnumSet.noneOf(Channel.class);
                durable.addAll(playback.channels);
                durable.retainAll(Channel.DURABLE);
                History history = eventLog.readAfter(playback.cursor, upTo, durable, pageSize);
                if (!playback.take(history, upTo)) {
                    PointState oldest = timeline.oldestAvailable();
                    send(playback.session, frames.historyTrimmed("the history no longer holds the events after seq "
                            + playback.cursor, "fromSeq", oldest != null ? oldest.seq() : eventLog.oldestSeq(),
                            oldest != null ? oldest.maxTimestamp() : null));
                    finish(playback, "stopped");
                    return;
                }
                continue;
            }
            long wait = playback.nanosUntilNext(System.nanoTime());
            if (wait > 0) {
                schedule(playback, wait);
                return;
            }
            StoredEvent event = playback.next();
            playback.session.enqueue(Outbound.reply(marked(event.frameUtf8(codec))));
            playback.session.flush();
        }
        schedule(playback, 0);
    }

    /**
     * Ends the playback ({@code status} ended or stopped, or null when it never started), then resumes live delivery
     * on the ordered path: the events missed since the last live one, or, when too many or no longer held, a
     * {@code history_gap} and the snapshot, as a resume does.
     */
    private void finish(PlaybackSession playback, String status) {
        ClientSession session = playback.session;
        playback.cancelPending();
        playback.finished = true;
        if (session.playback() == playback) {
            session.playback(null);
            running.decrementAndGet();
        }
        if (status != null) {
            send(session, frames.playback(status, gen -> gen.writeNumberProperty("seq", playback.playedSeq)));
        }
        fanOut.enqueueTask(deliveredSeq -> resumeLive(session, deliveredSeq));
        fanOut.wake();
    }

    /** On the fan-out's ordered path, like a subscribe with {@code sinceSeq}: the client is live again after it. */
    private void resumeLive(ClientSession session, long deliveredSeq) {
        long since = session.liveSuspendedAfter();
        if (since == ClientSession.LIVE) {
            return;
        }
        Set<Channel> durable = EnumSet.noneOf(Channel.class);
        durable.addAll(session.channels());
        durable.retainAll(Channel.DURABLE);
        History missed = eventLog.readAfter(since, deliveredSeq, durable, catchUpLimit);
        boolean recovered = missed.complete();
        List<WireFrame> answer = new ArrayList<>();
        answer.add(WireFrame.text(frames.playback("live", gen -> {
            gen.writeNumberProperty("sinceSeq", since);
            gen.writeBooleanProperty("recovered", recovered);
            gen.writeStringProperty("epoch", eventLog.epoch());
        })));
        if (recovered) {
            for (StoredEvent event : missed.events()) {
                if (session.receives(event.event().channel(), event.event().swarmId())) {
                    answer.add(WireFrame.of(event, codec));
                }
            }
        } else {
            answer.add(WireFrame.text(frames.historyGap(eventLog.oldestSeq(), eventLog.epoch())));
            for (Channel channel : Channel.values()) {
                if (session.channels().contains(channel)) {
                    for (SnapshotFrame entry : snapshots.of(session.swarm()).snapshot(channel)) {
                        answer.add(entry.frame(codec));
                    }
                }
            }
        }
        session.liveSuspendedAfter(ClientSession.LIVE);
        session.enqueueAnswer(answer);
    }

    private void withPlayback(ClientSession session, Consumer<PlaybackSession> action) {
        PlaybackSession playback = session.playback();
        if (playback == null) {
            error(session, ErrorCode.NO_PLAYBACK, "type", "this connection has no playback running");
            return;
        }
        action.accept(playback);
    }

    private void schedule(PlaybackSession playback, long delayNanos) {
        playback.cancelPending();
        try {
            playback.pending = scheduler.schedule(() -> guarded(() -> step(playback)), Math.max(0, delayNanos),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    private void run(Runnable action) {
        try {
            scheduler.execute(() -> guarded(action));
        } catch (RejectedExecutionException e) {
            // shutting down: the connections are closed too
        }
    }

    private static void guarded(Runnable action) {
        try {
            action.run();
        } catch (Throwable e) {
            log.error("playback task failed", e);
        }
    }

    private void error(ClientSession session, ErrorCode code, String field, String message) {
        send(session, frames.error(code, message, field));
    }

    private static void send(ClientSession session, String frame) {
        session.send(Outbound.reply(frame));
    }

    /** The event's frame with {@code "playback":true} added at its end. */
    private static WireFrame marked(byte[] frame) {
        byte[] out = new byte[frame.length - 1 + MARK.length];
        System.arraycopy(frame, 0, out, 0, frame.length - 1);
        System.arraycopy(MARK, 0, out, frame.length - 1, MARK.length);
        return WireFrame.text(out);
    }
}
