package io.swarmcast.server;

import java.nio.ByteBuffer;
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
 * flight at a time, and it carries everything that waited for it (up to a cap) in one gathering write, so
 * under load a client costs one system call for many frames, and no thread ever waits on a slow socket.
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
    private final AtomicInteger sendPhase = new AtomicInteger();
    /** Frames (pings excluded) in the write in flight; set by the thread that owns {@code sending}. */
    private volatile int framesInFlight;
    private volatile long sendStartedNanos;
    private volatile boolean closed;

    interface SlowConsumerHandler {
        void overflowed(long queuedBytes);
    }

    OutboundQueue(FrameSocket socket, long liveByteLimit, SlowConsumerHandler onOverflow,
                  Consumer<Throwable> onSendFailure, IntConsumer onFramesSent) {
        this.socket = socket;
        this.liveByteLimit = liveByteLimit;
        this.onOverflow = onOverflow;
        this.onSendFailure = onSendFailure;
        this.onFramesSent = onFramesSent;
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
     * (the slow-consumer handler has then been told).
     */
    boolean offer(Outbound item) {
        if (closed) {
            return false;
        }
        if (item.counted()) {
            long queued = liveBytes.addAndGet(item.weight());
            // The bound is on backlog waiting behind the socket (a frame leaves it when its write starts; a write
            // that never completes is the send-time limit's business). A frame larger than the bound still goes
            // to a client with nothing else waiting, or one large event would close every client, however fast.
            if (queued > liveByteLimit && queued > item.weight()) {
                closed = true;
                onOverflow.overflowed(queued);
                return false;
            }
        }
        queue.add(item);
        return true;
    }

    /** Starts writing what is queued, unless a write is already in flight (its completion writes the rest). */
    void flush() {
        if (!queue.isEmpty() && !sending.get() && sending.compareAndSet(false, true)) {
            drain();
        }
    }

    /** Stops accepting frames; what is queued is dropped. */
    void close() {
        closed = true;
        queue.clear();
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
        return !sending.get() && queue.isEmpty();
    }

    /** Nanos since the write in flight started, or 0 when none is in flight. */
    long inFlightNanos(long nowNanos) {
        long started = sendStartedNanos;
        return started == 0 ? 0 : nowNanos - started;
    }

    long queuedLiveBytes() {
        return liveBytes.get();
    }

    /** Runs while this thread owns {@code sending}; returns once the queue is empty or a write went asynchronous. */
    private void drain() {
        while (true) {
            ByteBuffer[] batch = closed ? null : takeBatch();
            if (batch == null) {
                sending.set(false);
                // A frame may have been queued between the last poll and the release: take the loop back if so.
                if (closed || queue.isEmpty() || !sending.compareAndSet(false, true)) {
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
    private ByteBuffer[] takeBatch() {
        Outbound first = queue.poll();
        if (first == null) {
            return null;
        }
        List<ByteBuffer> buffers = new ArrayList<>(8);
        long liveTaken = 0;
        int frames = 0;
        int bytes = 0;
        Outbound next = first;
        while (true) {
            buffers.add(next.frame().buffer());
            bytes += next.frame().length();
            if (next.counted()) {
                liveTaken += next.weight();
            }
            if (!next.isPing()) {
                frames++;
            }
            if (buffers.size() >= MAX_FRAMES_PER_WRITE || bytes >= MAX_BYTES_PER_WRITE
                    || (next = queue.poll()) == null) {
                break;
            }
        }
        if (liveTaken > 0) {
            liveBytes.addAndGet(-liveTaken);
        }
        framesInFlight = frames;
        return buffers.toArray(new ByteBuffer[0]);
    }

    /** Starts one write. Returns true when it already finished, so the caller's loop may write the next. */
    private boolean write(ByteBuffer[] batch) {
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
        closed = true;
        queue.clear();
        sending.set(false);
        onSendFailure.accept(cause);
    }
}
