package io.swarmcast.server;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendResult;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One client's bounded send queue. Any thread may offer frames without blocking; at most one send is in
 * flight at a time, written with the container's asynchronous send so no thread ever waits on a slow
 * socket. When a send completes on the thread that started it (the usual case: the socket had room), the
 * loop goes on there instead of recursing, so a long queue cannot overflow the stack.
 *
 * <p>Spring's {@code ConcurrentWebSocketSessionDecorator} was not used: it sends on the caller's thread
 * with a blocking send and checks its limits only when a second sender contends, so one stalled client
 * could hold a fan-out thread for the container's whole blocking timeout.
 */
final class OutboundQueue {

    private static final int IN_CALL = 0;
    private static final int RETURNED = 1;
    private static final int COMPLETED_IN_CALL = 2;

    private final RemoteEndpoint.Async remote;
    private final long liveByteLimit;
    private final SlowConsumerHandler onOverflow;
    private final Consumer<Throwable> onSendFailure;
    private final Runnable onFrameSent;
    private final Executor blockingSends;

    private final ConcurrentLinkedQueue<Outbound> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final AtomicLong liveBytes = new AtomicLong();
    private final AtomicInteger sendPhase = new AtomicInteger();
    private volatile long sendStartedNanos;
    private volatile boolean closed;

    interface SlowConsumerHandler {
        void overflowed(long queuedBytes);
    }

    OutboundQueue(RemoteEndpoint.Async remote, long liveByteLimit, SlowConsumerHandler onOverflow,
                  Consumer<Throwable> onSendFailure, Runnable onFrameSent, Executor blockingSends) {
        this.remote = remote;
        this.liveByteLimit = liveByteLimit;
        this.onOverflow = onOverflow;
        this.onSendFailure = onSendFailure;
        this.onFrameSent = onFrameSent;
        this.blockingSends = blockingSends;
    }

    /** Queues a frame and starts sending if nothing is in flight. Returns false when the queue is closed or full. */
    boolean offer(Outbound item) {
        if (closed) {
            return false;
        }
        if (item.counted()) {
            long queued = liveBytes.addAndGet(item.weight());
            // The bound is on backlog waiting behind the socket (a frame leaves it when its send starts; a send
            // that never completes is the send-time limit's business). A frame larger than the bound still goes
            // to a client with nothing else waiting, or one large event would close every client, however fast.
            if (queued > liveByteLimit && queued > item.weight()) {
                closed = true;
                onOverflow.overflowed(queued);
                return false;
            }
        }
        queue.add(item);
        if (sending.compareAndSet(false, true)) {
            drain();
        }
        return true;
    }

    /** Stops accepting frames; what is queued is dropped. */
    void close() {
        closed = true;
        queue.clear();
    }

    boolean isClosed() {
        return closed;
    }

    /** True when nothing is queued or in flight. */
    boolean isIdle() {
        return !sending.get() && queue.isEmpty();
    }

    /** Nanos since the send in flight started, or 0 when none is in flight. */
    long inFlightNanos(long nowNanos) {
        long started = sendStartedNanos;
        return started == 0 ? 0 : nowNanos - started;
    }

    long queuedLiveBytes() {
        return liveBytes.get();
    }

    /** Runs while this thread owns {@code sending}; returns once the queue is empty or a send went asynchronous. */
    private void drain() {
        while (true) {
            Outbound next = closed ? null : queue.poll();
            if (next == null) {
                sending.set(false);
                // An offer may have slipped in between poll and release: take the loop back if so.
                if (closed || queue.isEmpty() || !sending.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            if (next.counted()) {
                liveBytes.addAndGet(-next.weight());
            }
            if (!send(next)) {
                return;
            }
        }
    }

    /** Starts one send. Returns true when it already finished, so the caller's loop may send the next. */
    private boolean send(Outbound item) {
        if (item.isPing()) {
            // The container has only a blocking ping, which waits while the socket is full: it goes to the
            // blocking-send executor so it never holds the heartbeat timer or a fan-out thread. The loop goes
            // on there afterwards; the ping counts as a send in flight for the send-time watchdog.
            sendStartedNanos = System.nanoTime();
            blockingSends.execute(this::pingThenDrain);
            return false;
        }
        sendPhase.set(IN_CALL);
        sendStartedNanos = System.nanoTime();
        try {
            remote.sendText(item.text(), result -> completed(item, result));
        } catch (RuntimeException e) {
            sendStartedNanos = 0;
            fail(e);
            return false;
        }
        return !sendPhase.compareAndSet(IN_CALL, RETURNED);
    }

    private void pingThenDrain() {
        try {
            remote.sendPing(ByteBuffer.allocate(0));
        } catch (IOException | RuntimeException e) {
            sendStartedNanos = 0;
            fail(e);
            return;
        }
        sendStartedNanos = 0;
        drain();
    }

    private void completed(Outbound item, SendResult result) {
        sendStartedNanos = 0;
        if (!result.isOK()) {
            fail(result.getException());
            return;
        }
        onFrameSent.run();
        // Finished inside sendText: the loop that called it continues. Finished later: continue here.
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
