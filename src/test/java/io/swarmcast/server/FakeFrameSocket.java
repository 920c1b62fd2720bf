package io.swarmcast.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A connection's socket, for driving {@link OutboundQueue} without a network. Each write completes the way
 * the test says: inside {@code write} (the socket had room), later when the test calls {@link #completeNext},
 * or on an executor. It decodes and records the frames written, in order (text frames as their text, pings as
 * {@code <ping>}), remembers how many frames each write carried, and notices a write started while another
 * was still in flight, which the queue must never do.
 */
final class FakeFrameSocket implements FrameSocket {

    enum Mode { INLINE, DEFERRED, EXECUTOR }

    static final String PING = "<ping>";

    private final List<String> sent = new CopyOnWriteArrayList<>();
    private final List<Integer> writeSizes = new CopyOnWriteArrayList<>();
    private final List<WriteCallback> pending = new ArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger overlaps = new AtomicInteger();
    private final AtomicInteger maxStackDepth = new AtomicInteger();
    private volatile Mode mode;
    private volatile Executor executor;
    private volatile RuntimeException throwOnWrite;
    private volatile boolean measureStack;

    FakeFrameSocket(Mode mode) {
        this.mode = mode;
    }

    void mode(Mode mode) {
        this.mode = mode;
    }

    void executor(Executor executor) {
        this.executor = executor;
    }

    /** Makes the next writes throw, as a socket already closed may. */
    void throwOnWrite(RuntimeException e) {
        this.throwOnWrite = e;
    }

    /** Every frame written, in order. */
    List<String> sent() {
        return new ArrayList<>(sent);
    }

    /** How many frames each write carried, in order. */
    List<Integer> writeSizes() {
        return new ArrayList<>(writeSizes);
    }

    synchronized int pendingCount() {
        return pending.size();
    }

    int overlaps() {
        return overlaps.get();
    }

    /** Records the deepest call stack any write is started from (costly, so off unless asked). */
    void measureStack() {
        this.measureStack = true;
    }

    int maxStackDepth() {
        return maxStackDepth.get();
    }

    /** Completes the oldest deferred write successfully, on the calling thread. */
    void completeNext() {
        takePending().written();
    }

    /** Completes the oldest deferred write with a failure, on the calling thread. */
    void failNext(Throwable cause) {
        takePending().failed(cause);
    }

    private WriteCallback takePending() {
        WriteCallback callback;
        synchronized (this) {
            if (pending.isEmpty()) {
                throw new IllegalStateException("no write in flight");
            }
            callback = pending.remove(0);
        }
        inFlight.decrementAndGet();
        return callback;
    }

    @Override
    public void write(WireFrame[] frames, WriteCallback callback) {
        RuntimeException failure = throwOnWrite;
        if (failure != null) {
            throw failure;
        }
        if (measureStack) {
            maxStackDepth.accumulateAndGet(Thread.currentThread().getStackTrace().length, Math::max);
        }
        if (inFlight.incrementAndGet() > 1) {
            overlaps.incrementAndGet();
        }
        for (WireFrame frame : frames) {
            sent.add(decode(frame.buffer()));
        }
        writeSizes.add(frames.length);
        switch (mode) {
            case INLINE -> {
                inFlight.decrementAndGet();
                callback.written();
            }
            case DEFERRED -> {
                synchronized (this) {
                    pending.add(callback);
                }
            }
            case EXECUTOR -> executor.execute(() -> {
                inFlight.decrementAndGet();
                callback.written();
            });
        }
    }

    /** Reads one unmasked server frame: a final text frame or an empty ping. */
    static String decode(ByteBuffer buffer) {
        ByteBuffer frame = buffer.duplicate();
        int first = frame.get() & 0xFF;
        int second = frame.get() & 0xFF;
        if ((second & 0x80) != 0) {
            throw new AssertionError("a server frame is never masked");
        }
        long length = second & 0x7F;
        if (length == 126) {
            length = frame.getShort() & 0xFFFF;
        } else if (length == 127) {
            length = frame.getLong();
        }
        if (length != frame.remaining()) {
            throw new AssertionError("header says " + length + " bytes, buffer holds " + frame.remaining());
        }
        if (first == 0x89) {
            return PING;
        }
        if (first != 0x81) {
            throw new AssertionError("not a final text frame: " + Integer.toHexString(first));
        }
        byte[] payload = new byte[(int) length];
        frame.get(payload);
        return new String(payload, StandardCharsets.UTF_8);
    }
}
