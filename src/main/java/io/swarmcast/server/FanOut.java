package io.swarmcast.server;

import io.swarmcast.event.Channel;
import io.swarmcast.event.DashboardEvent;
import io.swarmcast.event.FrameCodec;
import io.swarmcast.log.EventLog;
import io.swarmcast.log.StoredEvent;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

/**
 * Delivers events to subscribed clients in seq order, and runs subscription changes at an exact point
 * between two events, which is what makes snapshot + resume gapless (PROTOCOL.md section 4).
 *
 * <p>Work enters one queue in order (the log hands events over under its own lock). Whichever thread
 * finds the queue unattended drains it: there is no dispatcher thread and so no hand-off per event when
 * producers are few, and delivery never holds a lock, since offering to a client's queue never blocks.
 *
 * <p>Events are queued for every client first and written after, one write per client for all the events
 * of a round ({@link #ROUND}): under load events pile up while a round is written, so the next round
 * carries more of them per system call. Nothing waits for a batch to fill: an event alone is written at once.
 */
final class FanOut implements EventLog.TailListener {

    /** Work items taken before the clients' queues are written: bounds how long a round delays its first event. */
    static final int ROUND = 64;

    private final ConcurrentLinkedQueue<Object> work = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final SessionRegistry sessions;
    private final FrameCodec codec;
    private final StateProjection state;
    private final ServerMetrics metrics;
    /** The newest seq delivered; read and written only by the draining thread. */
    private long deliveredSeq;

    FanOut(SessionRegistry sessions, FrameCodec codec, StateProjection state, ServerMetrics metrics, long startSeq) {
        this.sessions = sessions;
        this.codec = codec;
        this.state = state;
        this.metrics = metrics;
        this.deliveredSeq = startSeq;
    }

    /** From the log, in seq order, possibly under its lock: only queue it. */
    @Override
    public void appended(StoredEvent event) {
        work.add(event);
    }

    /** Queues an ephemeral event (metrics), which never enters the log. */
    void enqueueEphemeral(DashboardEvent event) {
        work.add(new StoredEvent(0, event));
    }

    /**
     * Queues a change to a client's subscriptions. It runs after every event queued before it and before
     * any queued after; it is given the newest seq delivered so far.
     */
    void enqueueTask(LongConsumer taskGivenDeliveredSeq) {
        work.add(taskGivenDeliveredSeq);
    }

    /** Delivers everything queued, unless another thread is already doing so (it will pick this up too). */
    void drain() {
        while (!work.isEmpty() && draining.compareAndSet(false, true)) {
            try {
                Object item;
                int inRound = 0;
                while ((item = work.poll()) != null) {
                    if (item instanceof StoredEvent event) {
                        deliver(event);
                    } else {
                        ((LongConsumer) item).accept(deliveredSeq);
                    }
                    if (++inRound == ROUND) {
                        flushAll();
                        inRound = 0;
                    }
                }
                flushAll();
            } finally {
                draining.set(false);
            }
        }
    }

    private void deliver(StoredEvent stored) {
        DashboardEvent event = stored.event();
        if (stored.seq() > 0) {
            deliveredSeq = stored.seq();
        }
        state.dispatched(event);
        metrics.eventPublished(event.type());
        Channel channel = event.channel();
        Outbound frame = null;
        for (ClientSession session : sessions.all()) {
            if (session.subscribedTo(channel)) {
                if (frame == null) {
                    frame = Outbound.live(WireFrame.text(stored.frame(codec)));
                }
                session.enqueue(frame);
            }
        }
    }

    private void flushAll() {
        for (ClientSession session : sessions.all()) {
            session.flush();
        }
    }
}
