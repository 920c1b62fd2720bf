package io.swarmcast.server;

import io.swarmcast.event.Channel;
import io.swarmcast.event.FrameCodec;
import io.swarmcast.log.EventLog;
import io.swarmcast.log.History;
import io.swarmcast.log.StoredEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Carries out what clients ask for: subscribe (with snapshot and resume), unsubscribe, ping, replay; playback and its
 * controls go to {@link Playbacks}.
 */
final class ClientRequestHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ClientRequestHandler.class);

    /**
     * A resume from a seq this instance has not delivered yet waits in steps of this pause, at most
     * {@link #CATCH_UP_ATTEMPTS} of them (2 s), then is answered as not recovered.
     */
    static final long CATCH_UP_PAUSE_MILLIS = 10;
    static final int CATCH_UP_ATTEMPTS = 200;

    private final ClientRequestParser parser;
    private final ControlFrames frames;
    private final FrameCodec codec;
    private final EventLog log;
    private final FanOut fanOut;
    private final SwarmProjections snapshots;
    /** Whether the services hold a swarm (internal id): a swarm may exist before any of its events was delivered here. */
    private final Predicate<String> swarmExists;
    /** The most missed events a resume catches up: the protocol's replay limit. */
    private final int catchUpLimit;
    /** A new {@link Conflation} for a client that asks for it, with the configured threshold and held limit. */
    private final Supplier<Conflation> conflations;
    private final Playbacks playbacks;

    ClientRequestHandler(ClientRequestParser parser, ControlFrames frames, FrameCodec codec, EventLog log,
                         FanOut fanOut, SwarmProjections snapshots, Predicate<String> swarmExists,
                         Supplier<Conflation> conflations, Playbacks playbacks) {
        this.swarmExists = swarmExists;
        this.parser = parser;
        this.frames = frames;
        this.codec = codec;
        this.log = log;
        this.fanOut = fanOut;
        this.snapshots = snapshots;
        this.catchUpLimit = parser.replayMaxLimit();
        this.conflations = conflations;
        this.playbacks = playbacks;
    }

    void handle(ClientSession session, String text) {
        ClientRequest request;
        try {
            request = parser.parse(text);
        } catch (RequestException e) {
            sendError(session, e);
            return;
        } catch (RuntimeException e) {
            // The parser is meant to name every fault in a request; reaching here is a bug of ours, not the client's.
            // The client gets an answer and keeps its connection (Spring would close it with 1011).
            LOG.error("could not read request frame of client {}: {}", session.clientId(), e.toString());
            sendError(session, new RequestException(ErrorCode.INVALID_JSON, null, "the request could not be read"));
            return;
        }
        if ((request instanceof ClientRequest.Subscribe || request instanceof ClientRequest.Unsubscribe)
                && session.liveSuspended()) {
            sendError(session, new RequestException(ErrorCode.PLAYBACK_ACTIVE, "type",
                    "subscriptions cannot change during a playback; send stop first"));
            return;
        }
        if (request instanceof ClientRequest.Subscribe subscribe) {
            fanOut.enqueueTask(deliveredSeq -> subscribe(session, subscribe, deliveredSeq, 0));
            fanOut.wake();
        } else if (request instanceof ClientRequest.Unsubscribe unsubscribe) {
            fanOut.enqueueTask(deliveredSeq -> unsubscribe(session, unsubscribe));
            fanOut.wake();
        } else if (request instanceof ClientRequest.Ping) {
            session.send(Outbound.reply(frames.pong()));
        } else if (request instanceof ClientRequest.Replay replay) {
            replay(session, replay);
        } else if (request instanceof ClientRequest.Playback playback) {
            playbacks.start(session, playback);
        } else if (request instanceof ClientRequest.Seek seek) {
            playbacks.seek(session, seek);
        } else if (request instanceof ClientRequest.PlaybackControl control) {
            switch (control.action()) {
                case PAUSE -> playbacks.pause(session);
                case RESUME -> playbacks.resume(session);
                case STOP -> playbacks.stop(session);
            }
        }
    }

    /** The connection closed: whatever it had running for it ends. */
    void closed(ClientSession session) {
        playbacks.closed(session);
    }

    void sendError(ClientSession session, RequestException e) {
        session.send(Outbound.reply(frames.error(e.code(), e.getMessage(), e.field())));
    }

    /**
     * Runs on the fan-out's ordered path: every event up to {@code deliveredSeq} has gone to the client's
     * old subscriptions, none after. So subscribed, snapshot and missed events go out now, and live events
     * of the new channels follow without a gap or a repeat. The frames are only queued: the delivery thread
     * writes each client's queue after its round, so a long catch-up goes out in a few large writes.
     *
     * <p>This runs on the delivery thread, so it must stay cheap however many clients resume at once: the
     * snapshot frames are encoded once per state change ({@link SnapshotFrame}), the missed events' frames
     * once per event ({@link WireFrame#of}), the log is read without its lock, and the catch-up is capped at
     * {@code limits.replay-max-limit} events. A gap longer than that is answered like a trimmed history
     * (recovered false, history_gap, the snapshot): a client that far behind is better served by the state
     * than by tens of thousands of events.
     */
    private void subscribe(ClientSession session, ClientRequest.Subscribe request, long deliveredSeq, int attempt) {
        if (awaitsCatchUp(request, deliveredSeq, attempt)) {
            // The client saw events this instance has not delivered yet: with a shared log it was connected to another
            // instance, whose events reach this one's tail a moment later. Run again once they had time to arrive.
            CompletableFuture.delayedExecutor(CATCH_UP_PAUSE_MILLIS, TimeUnit.MILLISECONDS).execute(() -> {
                fanOut.enqueueTask(seq -> subscribe(session, request, seq, attempt + 1));
                fanOut.wake();
            });
            return;
        }
        // A connection watches one swarm. Naming another one moves it there: its old subscriptions end, and every
        // channel of the request is new (snapshot, catch-up) in the swarm it names.
        String swarm = request.swarmNamed() ? request.swarm() : session.swarm();
        if (!snapshots.knows(swarm) && !swarmExists.test(swarm)) {
            session.enqueue(Outbound.reply(frames.error(ErrorCode.UNKNOWN_SWARM, "unknown swarm '" + swarm
                    + "'; GET /api/swarms lists them (nothing was subscribed)", "swarm")));
            return;
        }
        Set<Channel> current = Objects.equals(swarm, session.swarm()) ? session.channels() : EnumSet.noneOf(Channel.class);
        Set<Channel> added = EnumSet.copyOf(request.channels());
        added.removeAll(current);
        Set<Channel> after = EnumSet.copyOf(request.channels());
        after.addAll(current);

        History missed = null;
        Boolean recovered = null;
        if (request.sinceSeq() != null) {
            boolean sameEpoch = request.epoch() == null || request.epoch().equals(log.epoch());
            if (sameEpoch && request.sinceSeq() <= deliveredSeq) {
                Set<Channel> durable = EnumSet.noneOf(Channel.class);
                durable.addAll(added);
                durable.retainAll(Channel.DURABLE);
                missed = log.readAfter(request.sinceSeq(), deliveredSeq, durable, catchUpLimit);
                recovered = missed.complete();
            } else {
                recovered = false;
            }
        }

        List<WireFrame> answer = new ArrayList<>();
        answer.add(WireFrame.text(frames.subscribed(request.single(), after, recovered, log.epoch(), swarm)));
        if (Boolean.FALSE.equals(recovered)) {
            answer.add(WireFrame.text(frames.historyGap(log.oldestSeq(), log.epoch())));
        }
        if (request.snapshot()) {
            for (Channel channel : Channel.values()) {
                if (added.contains(channel)) {
                    for (SnapshotFrame entry : snapshots.of(swarm).snapshot(channel)) {
                        answer.add(entry.frame(codec));
                    }
                }
            }
        }
        if (Boolean.TRUE.equals(recovered)) {
            for (StoredEvent event : missed.events()) {
                if (Objects.equals(event.event().swarmId(), swarm)) {
                    answer.add(WireFrame.of(event, codec));
                }
            }
        }
        // One unit against the client's answer bound: a reading client gets all of it, however large.
        if (session.enqueueAnswer(answer)) {
            session.swarm(swarm);
            session.channels(after);
            conflate(session, request.conflate());
        }
    }

    /** Sets the connection's conflation mode when the request named one (docs/protocol.md 7.3a). */
    private void conflate(ClientSession session, Boolean conflate) {
        if (Boolean.TRUE.equals(conflate)) {
            session.outbound().conflate(conflations.get());
        } else if (Boolean.FALSE.equals(conflate)) {
            session.outbound().stopConflating();
        }
    }

    /** Whether a resume asks for a point this instance has not delivered yet, but the log holds, and may still wait. */
    private boolean awaitsCatchUp(ClientRequest.Subscribe request, long deliveredSeq, int attempt) {
        return request.sinceSeq() != null && request.sinceSeq() > deliveredSeq && attempt < CATCH_UP_ATTEMPTS
                && (request.epoch() == null || request.epoch().equals(log.epoch()))
                && request.sinceSeq() <= log.newestSeq();
    }

    private void unsubscribe(ClientSession session, ClientRequest.Unsubscribe request) {
        Set<Channel> after = EnumSet.noneOf(Channel.class);
        after.addAll(session.channels());
        after.removeAll(request.channels());
        session.channels(after);
        session.enqueue(Outbound.reply(frames.unsubscribed(request.single(), after)));
    }

    /**
     * Answers from history without touching subscriptions, so it needs no place on the ordered path. The read
     * is capped by the request's limit (at most {@code limits.replay-max-limit}) and takes no lock; the answer
     * counts against the client's answer bound, so a client that asks again and again without reading is
     * closed as a slow consumer rather than left to pile up answers.
     */
    private void replay(ClientSession session, ClientRequest.Replay request) {
        if (session.outbound().isClosed()) {
            return;
        }
        Set<Channel> channels = EnumSet.noneOf(Channel.class);
        channels.addAll(request.channels() != null ? request.channels()
                : session.channels().isEmpty() ? Channel.DURABLE : session.channels());
        channels.retainAll(Channel.DURABLE);
        History history = request.sinceSeq() != null
                ? log.readAfter(request.sinceSeq(), Long.MAX_VALUE, channels, request.limit())
                : log.readSince(request.since(), channels, request.limit());
        String swarm = request.swarmNamed() ? request.swarm() : session.swarm();
        List<StoredEvent> events = new ArrayList<>(history.events().size());
        List<String> eventFrames = new ArrayList<>(history.events().size());
        for (StoredEvent event : history.events()) {
            if (Objects.equals(event.event().swarmId(), swarm)) {
                events.add(event);
                eventFrames.add(event.frame(codec));
            }
        }
        long fromSeq = events.isEmpty() ? 0 : events.get(0).seq();
        long toSeq = events.isEmpty() ? 0 : events.get(events.size() - 1).seq();
        session.send(Outbound.reply(frames.replay(eventFrames, fromSeq, toSeq, history.complete(), log.epoch())));
    }
}
