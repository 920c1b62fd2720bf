package io.swarmcast.server;

import io.swarmcast.DaemonThreads;
import io.swarmcast.admission.DeliveryBacklog;
import io.swarmcast.event.Channel;
import io.swarmcast.event.DashboardEvent;
import io.swarmcast.event.FrameCodec;
import io.swarmcast.log.EventLog;
import io.swarmcast.log.StoredEvent;
import lombok.extern.slf4j.Slf4j;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * Delivers events to subscribed clients in seq order, and runs subscription changes at an exact point
 * between two events, which is what makes snapshot + resume gapless (docs/protocol.md section 4).
 *
 * <p>Work enters one queue in order (the log hands events over under its own lock) and one thread, the
 * delivery thread, takes it out. Publishers never write to sockets: they return as soon as their events
 * are in the log, whatever the number of clients, and never wait. Delivery never holds a lock either, since
 * queuing for a client never blocks. What is queued is counted in the {@link DeliveryBacklog}, which
 * admission control reads to keep producers from queuing more than delivery can take.
 *
 * <p>Events are queued for every client first and written after, one write per client for all the events
 * of a round (at most {@link #ROUND}): while a round is written, new events pile up, so under load the
 * next round carries more of them per system call (on loopback one write costs about as much as the
 * frames in it, docs/benchmarks.md). Nothing waits for a batch to fill: an event alone goes out at once.
 */
@Slf4j
final class FanOut implements EventLog.TailListener {

    /** Work items taken before the clients' queues are written: bounds how long a round delays its first event. */
    static final int ROUND = 64;

    /**
     * Subscription tasks run per round at most. A task (a resume's catch-up, a snapshot) costs about 0.3 ms; five
     * hundred clients resuming at once queued as many tasks back to back, and every live event behind them waited
     * for all of them (rounds of 64 tasks took 15 to 30 ms of CPU, docs/benchmarks.md). Past this many in a round,
     * tasks wait in {@link #deferred} and the events behind them go out first.
     */
    static final int TASKS_PER_ROUND = 8;

    private final ConcurrentLinkedQueue<Object> work = new ConcurrentLinkedQueue<>();
    /**
     * Tasks taken from {@code work} past a round's {@link #TASKS_PER_ROUND}, in their order; run first in the next
     * rounds. Once one waits here every later task does too, so tasks never pass each other. Written only by the
     * delivery thread; concurrent only so that {@link #isIdle} may look.
     */
    private final ConcurrentLinkedQueue<LongConsumer> deferred = new ConcurrentLinkedQueue<>();
    /** Items in {@code work} (its own size() is a walk of the whole queue), shared with admission control. */
    private final DeliveryBacklog backlog;
    /** True while the delivery thread is parked or about to park: whoever adds work then wakes it. */
    private final AtomicBoolean parked = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    private final SessionRegistry sessions;
    private final FrameCodec codec;
    private final SwarmProjections state;
    private final ServerMetrics metrics;
    private final Thread deliverer;
    private volatile boolean closed;
    /** The newest seq delivered; read and written only by the delivery thread. */
    private long deliveredSeq;

    FanOut(SessionRegistry sessions, FrameCodec codec, SwarmProjections state, ServerMetrics metrics, long startSeq,
           DeliveryBacklog backlog) {
        this.sessions = sessions;
        this.backlog = backlog;
        this.codec = codec;
        this.state = state;
        this.metrics = metrics;
        this.deliveredSeq = startSeq;
        this.deliverer = DaemonThreads.named("swarmcast-delivery").newThread(this::deliverUntilClosed);
    }

    /** Starts the delivery thread, once: it outlives a lifecycle stop, which a start may follow. */
    void start() {
        if (started.compareAndSet(false, true)) {
            deliverer.start();
        }
    }

    /** Stops the delivery thread, with the application; work still queued is dropped (the clients are gone by then). */
    void close() {
        closed = true;
        LockSupport.unpark(deliverer);
    }

    /** From the log, in seq order, possibly under its lock: only queue it. */
    @Override
    public void appended(StoredEvent event) {
        add(event);
    }

    /** Queues an ephemeral event (metrics), which never enters the log. */
    void enqueueEphemeral(DashboardEvent event) {
        add(new StoredEvent(0, event));
    }

    /**
     * Queues a change to a client's subscriptions. It runs after every event queued before it, at one exact point
     * between two events, and is given the newest seq delivered at that point: every event up to it went to the
     * client's old subscriptions, none after. Tasks run in the order queued. Usually no event queued after a task
     * goes before it; when more than {@link #TASKS_PER_ROUND} tasks are waiting (a reconnect storm), events queued
     * after them may, so that live delivery does not wait for hundreds of catch-ups.
     */
    void enqueueTask(LongConsumer taskGivenDeliveredSeq) {
        add(taskGivenDeliveredSeq);
    }

    /**
     * Queues a task that nothing queued after it may overtake, ever: a notice that belongs between two events (the
     * history gap before a new epoch's first event). The subscription tasks deferred before it run first.
     */
    void enqueueInOrder(LongConsumer taskGivenDeliveredSeq) {
        add(new InOrder(taskGivenDeliveredSeq));
    }

    /** A task {@link #enqueueInOrder} queued. */
    private record InOrder(LongConsumer task) {
    }

    private void add(Object item) {
        backlog.added();
        work.add(item);
    }

    int backlog() {
        return backlog.size();
    }

    /** Tells the delivery thread there is work; cheap when it is already busy. */
    void wake() {
        if (parked.get() && parked.compareAndSet(true, false)) {
            LockSupport.unpark(deliverer);
        }
    }

    /** True when nothing is queued for delivery and the delivery thread is waiting. */
    boolean isIdle() {
        return work.isEmpty() && deferred.isEmpty() && parked.get();
    }

    private void deliverUntilClosed() {
        while (!closed) {
            deliverQueued();
            if (!deferred.isEmpty()) {
                continue;
            }
            parked.set(true);
            // Work added after this check finds parked set and unparks, so the park returns at once.
            if (work.isEmpty() && !closed) {
                LockSupport.park(this);
            }
            parked.set(false);
        }
    }

    private void deliverQueued() {
        Object item;
        int inRound = 0;
        int tasksInRound = runDeferred();
        while ((item = work.poll()) != null) {
            backlog.taken();
            if (item instanceof InOrder inOrder) {
                // Whatever waited before it goes first, all of it: then the task, then what follows it.
                LongConsumer waiting;
                while ((waiting = deferred.poll()) != null) {
                    run(waiting);
                }
                run(inOrder.task());
            } else if (item instanceof StoredEvent || (tasksInRound < TASKS_PER_ROUND && deferred.isEmpty())) {
                tasksInRound += item instanceof StoredEvent ? 0 : 1;
                run(item);
            } else {
                deferred.add((LongConsumer) item);
            }
            if (++inRound == ROUND) {
                flushAll();
                inRound = 0;
                tasksInRound = runDeferred();
            }
        }
        flushAll();
    }

    /** Runs up to a round's share of the deferred tasks, oldest first; returns how many ran. */
    private int runDeferred() {
        int ran = 0;
        LongConsumer task;
        while (ran < TASKS_PER_ROUND && (task = deferred.poll()) != null) {
            ran++;
            run(task);
        }
        return ran;
    }

    private void run(Object item) {
        try {
            if (item instanceof StoredEvent event) {
                deliver(event);
            } else {
                ((LongConsumer) item).accept(deliveredSeq);
            }
        } catch (Throwable e) {
            // One bad item must not stop delivery for everyone, nor may an Error end the one delivery thread.
            log.error("delivery of {} failed", item, e);
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
        String swarmId = event.swarmId();
        Outbound frame = null;
        for (ClientSession session : sessions.all()) {
            if (session.receives(channel, swarmId) && !session.liveSuspended()) {
                if (frame == null) {
                    frame = Outbound.live(WireFrame.of(stored, codec), stored.seq(), channel, ConflationKey.of(event));
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
