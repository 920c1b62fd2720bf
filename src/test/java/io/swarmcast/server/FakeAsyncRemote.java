package io.swarmcast.server;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A container's asynchronous remote endpoint, for driving {@link OutboundQueue} without a socket. Each text
 * send completes the way the test says: inside {@code sendText} (the socket had room), later when the test
 * calls {@link #completeNext}, or on an executor. It records what was sent, in order, pings as {@code <ping>},
 * and notices a send started while another was still in flight, which the queue must never do.
 */
final class FakeAsyncRemote implements RemoteEndpoint.Async {

    enum Mode { INLINE, DEFERRED, EXECUTOR }

    static final String PING = "<ping>";

    private final List<String> sent = new CopyOnWriteArrayList<>();
    private final List<SendHandler> pending = new ArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger overlaps = new AtomicInteger();
    private final AtomicInteger maxStackDepth = new AtomicInteger();
    private volatile Mode mode;
    private volatile Executor executor;
    private volatile RuntimeException throwOnSend;
    private volatile boolean measureStack;

    FakeAsyncRemote(Mode mode) {
        this.mode = mode;
    }

    void mode(Mode mode) {
        this.mode = mode;
    }

    void executor(Executor executor) {
        this.executor = executor;
    }

    /** Makes the next sends throw, as a container does for a session already closed. */
    void throwOnSend(RuntimeException e) {
        this.throwOnSend = e;
    }

    List<String> sent() {
        return new ArrayList<>(sent);
    }

    synchronized int pendingCount() {
        return pending.size();
    }

    int overlaps() {
        return overlaps.get();
    }

    /** Records the deepest call stack any send is started from (costly, so off unless asked). */
    void measureStack() {
        this.measureStack = true;
    }

    int maxStackDepth() {
        return maxStackDepth.get();
    }

    /** Completes the oldest deferred send successfully, on the calling thread. */
    void completeNext() {
        complete(new SendResult());
    }

    /** Completes the oldest deferred send with a failure, on the calling thread. */
    void failNext(Throwable cause) {
        complete(new SendResult(cause));
    }

    private void complete(SendResult result) {
        SendHandler handler;
        synchronized (this) {
            if (pending.isEmpty()) {
                throw new IllegalStateException("no send in flight");
            }
            handler = pending.remove(0);
        }
        inFlight.decrementAndGet();
        handler.onResult(result);
    }

    @Override
    public void sendText(String text, SendHandler handler) {
        RuntimeException failure = throwOnSend;
        if (failure != null) {
            throw failure;
        }
        if (measureStack) {
            maxStackDepth.accumulateAndGet(Thread.currentThread().getStackTrace().length, Math::max);
        }
        if (inFlight.incrementAndGet() > 1) {
            overlaps.incrementAndGet();
        }
        sent.add(text);
        switch (mode) {
            case INLINE -> {
                inFlight.decrementAndGet();
                handler.onResult(new SendResult());
            }
            case DEFERRED -> {
                synchronized (this) {
                    pending.add(handler);
                }
            }
            case EXECUTOR -> executor.execute(() -> {
                inFlight.decrementAndGet();
                handler.onResult(new SendResult());
            });
        }
    }

    @Override
    public void sendPing(ByteBuffer applicationData) {
        if (applicationData.remaining() != 0) {
            throw new IllegalArgumentException("the queue sends empty pings");
        }
        if (inFlight.get() > 0) {
            overlaps.incrementAndGet();
        }
        sent.add(PING);
    }

    @Override
    public long getSendTimeout() {
        return 0;
    }

    @Override
    public void setSendTimeout(long timeout) {
    }

    @Override
    public Future<Void> sendText(String text) {
        throw new UnsupportedOperationException("the queue must not use the Future-returning send");
    }

    @Override
    public Future<Void> sendBinary(ByteBuffer data) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void sendBinary(ByteBuffer data, SendHandler handler) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Future<Void> sendObject(Object data) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void sendObject(Object data, SendHandler handler) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setBatchingAllowed(boolean allowed) {
    }

    @Override
    public boolean getBatchingAllowed() {
        return false;
    }

    @Override
    public void flushBatch() {
    }

    @Override
    public void sendPong(ByteBuffer applicationData) {
        throw new UnsupportedOperationException();
    }
}
