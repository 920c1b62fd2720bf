package io.swarmcast.server;

import io.swarmcast.event.Channel;
import io.swarmcast.event.DashboardEvent;
import io.swarmcast.event.FrameCodec;
import io.swarmcast.log.EventLog;
import io.swarmcast.log.History;
import io.swarmcast.log.StoredEvent;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Carries out what clients ask for: subscribe (with snapshot and resume), unsubscribe, ping, replay. */
final class ClientRequestHandler {

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
    private final SnapshotSource snapshots;

    ClientRequestHandler(ClientRequestParser parser, ControlFrames frames, FrameCodec codec, EventLog log,
                         FanOut fanOut, SnapshotSource snapshots) {
        this.parser = parser;
        this.frames = frames;
        this.codec = codec;
        this.log = log;
        this.fanOut = fanOut;
        this.snapshots = snapshots;
    }

    void handle(ClientSession session, String text) {
        ClientRequest request;
        try {
            request = parser.parse(text);
        } catch (RequestException e) {
            sendError(session, e);
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
        }
    }

    void sendError(ClientSession session, RequestException e) {
        session.send(Outbound.reply(frames.error(e.code(), e.getMessage(), e.field())));
    }

    /**
     * Runs on the fan-out's ordered path: every event up to {@code deliveredSeq} has gone to the client's
     * old subscriptions, none after. So subscribed, snapshot and missed events go out now, and live events
     * of the new channels follow without a gap or a repeat. The frames are only queued: the delivery thread
     * writes each client's queue after its round, so a long catch-up goes out in a few large writes.
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
        Set<Channel> added = EnumSet.copyOf(request.channels());
        added.removeAll(session.channels());
        Set<Channel> after = EnumSet.copyOf(request.channels());
        after.addAll(session.channels());

        History missed = null;
        Boolean recovered = null;
        if (request.sinceSeq() != null) {
            boolean sameEpoch = request.epoch() == null || request.epoch().equals(log.epoch());
            if (sameEpoch && request.sinceSeq() <= deliveredSeq) {
                Set<Channel> durable = EnumSet.noneOf(Channel.class);
                durable.addAll(added);
                durable.retainAll(Channel.DURABLE);
                missed = log.readAfter(request.sinceSeq(), deliveredSeq, durable, Integer.MAX_VALUE);
                recovered = missed.reachesBack();
            } else {
                recovered = false;
            }
        }

        session.enqueue(Outbound.reply(frames.subscribed(request.single(), after, recovered, log.epoch())));
        if (Boolean.FALSE.equals(recovered)) {
            session.enqueue(Outbound.reply(frames.historyGap(log.oldestSeq(), log.epoch())));
        }
        if (request.snapshot()) {
            for (Channel channel : Channel.values()) {
                if (added.contains(channel)) {
                    sendSnapshot(session, channel);
                }
            }
        }
        if (Boolean.TRUE.equals(recovered)) {
            for (StoredEvent event : missed.events()) {
                session.enqueue(Outbound.reply(WireFrame.text(event.frameUtf8(codec))));
            }
        }
        session.channels(after);
    }

    /** Whether a resume asks for a point this instance has not delivered yet, but the log holds, and may still wait. */
    private boolean awaitsCatchUp(ClientRequest.Subscribe request, long deliveredSeq, int attempt) {
        return request.sinceSeq() != null && request.sinceSeq() > deliveredSeq && attempt < CATCH_UP_ATTEMPTS
                && (request.epoch() == null || request.epoch().equals(log.epoch()))
                && request.sinceSeq() <= log.newestSeq();
    }

    private void sendSnapshot(ClientSession session, Channel channel) {
        for (DashboardEvent event : snapshots.snapshot(channel)) {
            session.enqueue(Outbound.reply(codec.write(event, 0, true)));
        }
    }

    private void unsubscribe(ClientSession session, ClientRequest.Unsubscribe request) {
        Set<Channel> after = EnumSet.noneOf(Channel.class);
        after.addAll(session.channels());
        after.removeAll(request.channels());
        session.channels(after);
        session.enqueue(Outbound.reply(frames.unsubscribed(request.single(), after)));
    }

    /** Answers from history without touching subscriptions, so it needs no place on the ordered path. */
    private void replay(ClientSession session, ClientRequest.Replay request) {
        Set<Channel> channels = EnumSet.noneOf(Channel.class);
        channels.addAll(request.channels() != null ? request.channels()
                : session.channels().isEmpty() ? Channel.DURABLE : session.channels());
        channels.retainAll(Channel.DURABLE);
        History history = request.sinceSeq() != null
                ? log.readAfter(request.sinceSeq(), Long.MAX_VALUE, channels, request.limit())
                : log.readSince(request.since(), channels, request.limit());
        List<String> eventFrames = new ArrayList<>(history.events().size());
        for (StoredEvent event : history.events()) {
            eventFrames.add(event.frame(codec));
        }
        List<StoredEvent> events = history.events();
        long fromSeq = events.isEmpty() ? 0 : events.get(0).seq();
        long toSeq = events.isEmpty() ? 0 : events.get(events.size() - 1).seq();
        session.send(Outbound.reply(frames.replay(eventFrames, fromSeq, toSeq, history.complete(), log.epoch())));
    }
}
