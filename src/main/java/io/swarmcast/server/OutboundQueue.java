package io.swarmcast.server;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * One client's bounded send queue. Any thread may queue frames without blocking; at most one write is in
 * flight at a time, and it carries everything that waited for it (up to a cap) in one {@link FrameSocket}
 * write (on the direct path one gathering write, so under load a client costs one system call for many
 * frames), and no thread ever waits on a slow socket.
 * When a write completes on the thread that started it (the usual case: the socket had room), the loop goes
 * on there instead of recursing, so a long queue cannot overflow the stack.
 *
 * <p>Queuing and writing are separate steps ({@link #offer}, {@link #flush}) so that the fan-out can queue
 * several events for every client before it writes to any: the batching comes from load, never from a timer.
 *
 * <p>Spring's {@code ConcurrentWebSocketSessionDecorator} was not used: it sends on the caller's thread
 * with a blocking send and checks its limits only when a second sender contends, so one stalled client
 * could hold a fan-out thread for the container's whole blocking timeout.
 */
final class OutboundQueue {

    /** Caps one write: enough to amortise the system call, few enough for the kernel's iovec limit (1024). */
    static final int MAX_FRAMES_PER_WRITE = 256;
    static final int MAX_BYTES_PER_WRITE = 256 * 1024;

    private static final int IN_CALL = 0;
    private static final int RETURNED = 1;
    private static final int COMPLETED_IN_CALL = 2;

    private final FrameSocket socket;
    private final long liveByteLimit;
    private final long answerByteLimit;
    private final SendBudget budget;
    private final SlowConsumerHandler onOverflow;
    private final Consumer<Throwable> onSendFailure;
    private final IntConsumer onFramesSent;
    private final FrameSocket.WriteCallback writeDone = new FrameSocket.WriteCallback() {
        @Override
        public void written() {
            completed();
        }

        @Override
        public void failed(Throwable cause) {
            sendStartedNanos = 0;
            fail(cause);
        }
    };

    private final ConcurrentLinkedQueue<Outbound> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final AtomicLong liveBytes = new AtomicLong();
    private final AtomicLong answerBytes = new AtomicLong();
    private final AtomicInteger sendPhase = new AtomicInteger();
    /** Frames (pings excluded) in the write in flight; set by the thread that owns {@code sending}. */
    private volatile int framesInFlight;
    private volatile long sendStartedNanos;
    private volatile boolean closed;
    /**
     * Set while the client asked for conflation ({@code "conflate":true}); null, the default, never conflates and
     * leaves the path of every other client as it was: one read of this field per frame.
     */
    private volatile Conflation conflation;

    interface SlowConsumerHandler {
        void overflowed(long queuedBytes);
    }

    /**
     * @param liveByteLimit   bound on live event bytes waiting ({@code limits.send-buffer-limit})
     * @param answerByteLimit bound on answer bytes waiting ({@code limits.reply-buffer-limit})
     * @param budget          the bound on all clients' queues together; this queue registers with it
     */
    OutboundQueue(FrameSocket socket, long liveByteLimit, long answerByteLimit, SendBudget budget,
                  SlowConsumerHandler onOverflow, Consumer<Throwable> onSendFailure, IntConsumer onFramesSent) {
        this.socket = socket;
        this.liveByteLimit = liveByteLimit;
        this.answerByteLimit = answerByteLimit;
        this.budget = budget;
        this.onOverflow = onOverflow;
        this.onSendFailure = onSendFailure;
        this.onFramesSent = onFramesSent;
        // Last: the budget may pick this queue as the largest (and close it) from now on.
        budget.register(this);
    }

    /** Queues a frame and starts writing if nothing is in flight. Returns false when the queue is closed or full. */
    boolean send(Outbound item) {
        if (!offer(item)) {
            return false;
        }
        flush();
        return true;
    }

    /**
     * Queues a frame without writing it: {@link #flush} does. Returns false when the queue is closed or full
     * (the slow-consumer handler has then been told). An {@link Outbound.Kind#ANSWER} frame is a whole answer
     * on its own; an answer of several frames goes through {@link #offerAnswer}.
     */
    boolean offer(Outbound item) {
        Conflation held = conflation;
        if (held != null && item.kind() != Outbound.Kind.HEARTBEAT) {
            if (item.kind() == Outbound.Kind.LIVE) {
                if (held.shouldHold(liveBytes.get(), item.weight())) {
                    return hold(held, item);
                }
            } else {
                // An answer goes behind the live frames held so far, as it would behind queued ones: a re-subscribe's
                // snapshot must not be followed by an older frame of the same agent.
                releaseHeld(held);
            }
        }
        return admit(item.kind(), item.weight(), List.of(item));
    }

    /**
     * From now on, live frames past the conflation's threshold are conflated rather than queued (docs/architecture.md,
     * "Conflation"). A queue already conflating keeps what it holds. Called on the delivery thread (a subscribe).
     */
    void conflate(Conflation with) {
        if (conflation == null) {
            conflation = with;
        }
    }

    /** Live frames are queued as usual again; what was held is queued first, with its notice. Delivery thread. */
    void stopConflating() {
        Conflation held = conflation;
        if (held != null) {
            releaseHeld(held);
            conflation = null;
        }
    }

    boolean isConflating() {
        return conflation != null;
    }

    /**
     * Hands a live frame to the conflation. Only what is held past {@code conflation.held-limit} closes the
     * client; held bytes count against the {@link SendBudget} like queued ones.
     */
    private boolean hold(Conflation held, Outbound item) {
        if (closed) {
            return false;
        }
        long added = held.hold(item);
        boolean overBudget = budget.charge(added);
        if (closed) {
            discardQueued();
            return false;
        }
        if (held.overLimit(item.weight())) {
            closeAsSlowConsumer(queuedBytes());
            return false;
        }
        if (overBudget) {
            budget.relieve();
        }
        return !closed;
    }

    /**
     * Queues what the conflation held, behind everything queued, as live frames: the kept frames and the notice.
     * They are not weighed against the live bound (the held limit bounded them already). Returns false when
     * nothing was held.
     */
    private boolean releaseHeld(Conflation held) {
        boolean released = held.release(frames -> {
            liveBytes.addAndGet(frames.liveWeight());
            // The notice is new; the skipped seqs it replaces are freed.
            budget.charge(frames.liveWeight() - frames.heldBytes());
            queue.addAll(frames.frames());
        });
        if (released && closed) {
            discardQueued();
        }
        return released;
    }

    private boolean holding() {
        Conflation held = conflation;
        return held != null && held.holding();
    }

    /**
     * Queues the frames of one answer (a subscribe's subscribed, snapshot and catch-up) as one unit: admitted
     * whole or not at all, so a client is never left with half a catch-up it would take for all of it.
     */
    boolean offerAnswer(List<WireFrame> frames) {
        Conflation held = conflation;
        if (held != null) {
            releaseHeld(held);
        }
        List<Outbound> items = new ArrayList<>(frames.size());
        long weight = 0;
        for (WireFrame frame : frames) {
            Outbound item = Outbound.reply(frame);
            items.add(item);
            weight += item.weight();
        }
        return admit(Outbound.Kind.ANSWER, weight, items);
    }

    /**
     * The send bounds (docs/architecture.md, "Backpressure and slow consumers"). Live frames and answers are
     * weighed apart, each against its own bound, so a large catch-up does not make the live events behind it
     * look like a slow consumer, and live events do not squeeze out answers. Either kind is admitted past its
     * bound only when nothing else of its kind waits: a lone frame (or a lone answer) bigger than the bound
     * still goes to a client that reads, or one large event, snapshot or catch-up would close every client.
     */
    private boolean admit(Outbound.Kind kind, long weight, List<Outbound> items) {
        if (closed) {
            return false;
        }
        AtomicLong counter = counter(kind);
        if (counter != null) {
            long queued = counter.addAndGet(weight);
            long limit = kind == Outbound.Kind.LIVE ? liveByteLimit : answerByteLimit;
            if (queued > limit && queued > weight) {
                counter.addAndGet(-weight);
                closeAsSlowConsumer(queued + queuedBytesOtherThan(kind));
                return false;
            }
        }
        boolean overBudget = counter != null && budget.charge(weight);
        queue.addAll(items);
        if (closed) {
            // Closed meanwhile: whatever was dropped then did not include these; drop them too.
            discardQueued();
            return false;
        }
        if (overBudget) {
            budget.relieve();
        }
        return !closed;
    }

    private AtomicLong counter(Outbound.Kind kind) {
        return switch (kind) {
            case LIVE -> liveBytes;
            case ANSWER -> answerBytes;
            case HEARTBEAT -> null;
        };
    }

    /** Starts writing what is queued, unless a write is already in flight (its completion writes the rest). */
    void flush() {
        if ((!queue.isEmpty() || holding()) && !sending.get() && sending.compareAndSet(false, true)) {
            drain();
        }
    }

    /** Stops accepting frames; what is queued is dropped. */
    void close() {
        closed = true;
        budget.unregister(this);
        discardQueued();
    }

    /**
     * Closes this queue as a slow consumer: past its own bound, or picked by the {@link SendBudget} as the
     * largest when all clients together are over theirs. The handler is told once.
     */
    void overflow() {
        closeAsSlowConsumer(queuedBytes());
    }

    /** @param queuedBytes what the client had waiting, reported to the handler */
    private void closeAsSlowConsumer(long queuedBytes) {
        boolean first = !closed;
        close();
        if (first) {
            onOverflow.overflowed(queuedBytes);
        }
    }

    private long queuedBytesOtherThan(Outbound.Kind kind) {
        return kind == Outbound.Kind.LIVE ? answerBytes.get() : liveBytes.get();
    }

    /** Drops what waits, giving its bytes back to the counters. Safe against a writer polling at the same time. */
    private void discardQueued() {
        Conflation held = conflation;
        if (held != null) {
            long freed = held.discard();
            if (freed > 0) {
                budget.release(freed);
            }
        }
        long live = 0;
        long answers = 0;
        Outbound item;
        while ((item = queue.poll()) != null) {
            if (item.kind() == Outbound.Kind.LIVE) {
                live += item.weight();
            } else if (item.kind() == Outbound.Kind.ANSWER) {
                answers += item.weight();
            }
        }
        release(live, answers);
    }

    private void release(long live, long answers) {
        if (live > 0) {
            liveBytes.addAndGet(-live);
        }
        if (answers > 0) {
            answerBytes.addAndGet(-answers);
        }
        if (live + answers > 0) {
            budget.release(live + answers);
        }
    }

    /**
     * Stops accepting frames, drops what is queued, and makes the connection's close a reset: for a client whose
     * socket is full, whose unread bytes would otherwise stay in kernel memory after the close.
     */
    void abort() {
        close();
        socket.resetOnClose();
    }

    boolean isClosed() {
        return closed;
    }

    /** True when nothing is queued or in flight. */
    boolean isIdle() {
        return !sending.get() && queue.isEmpty() && !holding();
    }

    /** Nanos since the write in flight started, or 0 when none is in flight. */
    long inFlightNanos(long nowNanos) {
        long started = sendStartedNanos;
        return started == 0 ? 0 : nowNanos - started;
    }

    long queuedLiveBytes() {
        return liveBytes.get();
    }

    long queuedAnswerBytes() {
        return answerBytes.get();
    }

    /** Bytes held by the conflation, if this client conflates. */
    long heldBytes() {
        Conflation held = conflation;
        return held == null ? 0 : held.heldBytes();
    }

    /** Live, answer and held bytes waiting behind the socket (not counting a write in flight). */
    long queuedBytes() {
        return liveBytes.get() + answerBytes.get() + heldBytes();
    }

    /** Runs while this thread owns {@code sending}; returns once the queue is empty or a write went asynchronous. */
    private void drain() {
        while (true) {
            WireFrame[] batch = closed ? null : takeBatch();
            if (batch == null) {
                sending.set(false);
                // A frame may have been queued between the last poll and the release: take the loop back if so.
                if (closed || (queue.isEmpty() && !holding()) || !sending.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            if (!write(batch)) {
                return;
            }
        }
    }

    /** Takes what waits, up to the caps, off the queue; null when nothing does. */
    private WireFrame[] takeBatch() {
        Outbound first = queue.poll();
        if (first == null) {
            // The client has read everything queued: now it gets what its conflation held, if anything.
            Conflation held = conflation;
            if (held == null || !releaseHeld(held) || (first = queue.poll()) == null) {
                return null;
            }
        }
        List<WireFrame> batch = new ArrayList<>(8);
        long liveTaken = 0;
        long answersTaken = 0;
        int frames = 0;
        int bytes = 0;
        Outbound next = first;
        while (true) {
            batch.add(next.frame());
            bytes += next.frame().length();
            if (next.kind() == Outbound.Kind.LIVE) {
                liveTaken += next.weight();
            } else if (next.kind() == Outbound.Kind.ANSWER) {
                answersTaken += next.weight();
            }
            if (!next.isPing()) {
                frames++;
            }
            if (batch.size() >= MAX_FRAMES_PER_WRITE || bytes >= MAX_BYTES_PER_WRITE
                    || (next = queue.poll()) == null) {
                break;
            }
        }
        // A frame stops counting when its write starts (the send-time limit watches the write itself).
        release(liveTaken, answersTaken);
        framesInFlight = frames;
        return batch.toArray(new WireFrame[0]);
    }

    /** Starts one write. Returns true when it already finished, so the caller's loop may write the next. */
    private boolean write(WireFrame[] batch) {
        sendPhase.set(IN_CALL);
        sendStartedNanos = System.nanoTime();
        try {
            socket.write(batch, writeDone);
        } catch (RuntimeException e) {
            sendStartedNanos = 0;
            fail(e);
            return false;
        }
        return !sendPhase.compareAndSet(IN_CALL, RETURNED);
    }

    private void completed() {
        sendStartedNanos = 0;
        int frames = framesInFlight;
        if (frames > 0) {
            onFramesSent.accept(frames);
        }
        // Finished inside write: the loop that called it continues. Finished later: continue here.
        if (!sendPhase.compareAndSet(IN_CALL, COMPLETED_IN_CALL)) {
            drain();
        }
    }

    private void fail(Throwable cause) {
        close();
        sending.set(false);
        onSendFailure.accept(cause);
    }
}
