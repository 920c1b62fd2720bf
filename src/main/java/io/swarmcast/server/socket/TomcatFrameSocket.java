package io.swarmcast.server.socket;

import io.swarmcast.server.FrameSocket;
import io.swarmcast.server.WireFrame;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.apache.tomcat.util.net.SocketWrapperBase.BlockingMode;
import org.apache.tomcat.util.net.SocketWrapperBase.CompletionState;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The direct path: writes ready-made frames straight to a Tomcat WebSocket connection's socket, as one
 * gathering write.
 *
 * <p>Why below the WebSocket API: {@code RemoteEndpoint.sendText} takes a {@code String}, so Tomcat
 * UTF-8-encodes and frames every client's copy of an event again, writes one frame per call and hands
 * every completion to another thread. Measured (docs/benchmarks.md), that was most of the server's CPU per
 * delivered frame. Here an event is encoded once ({@link WireFrame}), and everything waiting for a client
 * goes out in one write, completing on the calling thread when the socket has room.
 *
 * <p>Sharing the connection with Tomcat, which writes on it too (answers to client pings, the close
 * frame), follows Tomcat's own rule: a frame is written only while holding the endpoint's message lock
 * (its {@code messagePartInProgress} semaphore), and not at all once the endpoint has written its close
 * frame (its {@code closed} flag, set under that lock). So our frames and Tomcat's never interleave, and no
 * data frame follows the close frame, whichever side closed first (RFC 6455 section 5.5.1). The lock is held
 * from the start of a write to its completion, as Tomcat holds it for its own. Ours never wait for it, on any
 * thread: when Tomcat holds it, or a Tomcat thread waits for it (we do not barge ahead of a pong or a close), the
 * write tries again a moment later ({@link #retryLater}), each try a short task on {@code blockingWrites}.
 *
 * <p>The lock, the flag and the socket are Tomcat internals, read once per connection through
 * {@link TomcatInternals}, which checks at startup that they exist with the expected types.
 */
final class TomcatFrameSocket implements FrameSocket {

    /** The first pause before trying Tomcat's lock again: its own frames (a pong, a close) take microseconds. */
    static final long FIRST_RETRY_MILLIS = 1;
    /** The longest pause between tries, for a connection whose socket keeps Tomcat's own frame waiting. */
    static final long MAX_RETRY_MILLIS = 50;

    private final SocketWrapperBase<?> socket;
    private final Semaphore messageLock;
    private final BooleanSupplier closeSent;
    private final long timeoutMillis;
    private final Executor blockingWrites;
    private final CompletionHandler<Long, WriteCallback> completion = new CompletionHandler<>() {
        @Override
        public void completed(Long bytes, WriteCallback callback) {
            // Released first: the callback may start the next write at once.
            messageLock.release();
            callback.written();
        }

        @Override
        public void failed(Throwable cause, WriteCallback callback) {
            messageLock.release();
            callback.failed(cause);
        }
    };

    /**
     * @param socket         the connection's socket
     * @param messageLock    the WebSocket endpoint's lock that every frame written is written under
     * @param closeSent      whether the endpoint has written its close frame (read while holding the lock)
     * @param timeoutMillis  how long a write may wait for the client to read before it fails
     * @param blockingWrites where a write that must wait for Tomcat's own write waits its turn
     */
    TomcatFrameSocket(SocketWrapperBase<?> socket, Semaphore messageLock, BooleanSupplier closeSent,
                      long timeoutMillis, Executor blockingWrites) {
        this.socket = socket;
        this.messageLock = messageLock;
        this.closeSent = closeSent;
        this.timeoutMillis = timeoutMillis;
        this.blockingWrites = blockingWrites;
    }

    @Override
    public void write(WireFrame[] frames, WriteCallback callback) {
        ByteBuffer[] buffers = new ByteBuffer[frames.length];
        for (int i = 0; i < frames.length; i++) {
            buffers[i] = frames[i].buffer();
        }
        if (!messageLock.hasQueuedThreads() && messageLock.tryAcquire()) {
            writeHoldingLock(buffers, callback, BlockingMode.NON_BLOCK);
        } else {
            // Tomcat is writing a frame of its own, or waits to: try again after it, off this thread.
            retryLater(buffers, callback, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis),
                    FIRST_RETRY_MILLIS);
        }
    }

    /**
     * Tries for the lock again after {@code pauseMillis}, then after twice that, up to {@link #MAX_RETRY_MILLIS},
     * until the deadline (the send-time limit). Polling, not waiting: an earlier version waited for the lock on a
     * {@code blockingWrites} thread, up to the send-time limit. Tomcat holds the lock that long while its own pong
     * or close frame sits in the full socket of a client that does not read, so each such client held a thread
     * of that bounded pool for up to 10 s; with more such clients than threads, a reading client's write, queued
     * behind them, waited as long. Now no thread waits for a stuck client: each try is a short task.
     */
    private void retryLater(ByteBuffer[] buffers, WriteCallback callback, long deadlineNanos, long pauseMillis) {
        CompletableFuture.delayedExecutor(pauseMillis, TimeUnit.MILLISECONDS, blockingWrites)
                .execute(() -> tryLockAndWrite(buffers, callback, deadlineNanos, pauseMillis));
    }

    private void tryLockAndWrite(ByteBuffer[] buffers, WriteCallback callback, long deadlineNanos, long pauseMillis) {
        if (messageLock.hasQueuedThreads() || !messageLock.tryAcquire()) {
            if (System.nanoTime() - deadlineNanos >= 0) {
                callback.failed(new SocketTimeoutException("Tomcat held the connection for " + timeoutMillis + " ms"));
            } else {
                retryLater(buffers, callback, deadlineNanos, Math.min(2 * pauseMillis, MAX_RETRY_MILLIS));
            }
            return;
        }
        try {
            writeHoldingLock(buffers, callback, BlockingMode.NON_BLOCK);
        } catch (RuntimeException e) {
            callback.failed(e);
        }
    }

    /** Writes, or refuses to after the close frame; the lock is released when the write completes. */
    private void writeHoldingLock(ByteBuffer[] buffers, WriteCallback callback, BlockingMode mode) {
        if (closeSent.getAsBoolean()) {
            messageLock.release();
            callback.failed(new ClosingException());
            return;
        }
        CompletionState state;
        try {
            state = socket.write(mode, timeoutMillis, TimeUnit.MILLISECONDS, callback,
                    SocketWrapperBase.COMPLETE_WRITE_WITH_COMPLETION, completion, buffers);
        } catch (RuntimeException e) {
            messageLock.release();
            throw e;
        }
        if (state == CompletionState.NOT_DONE) {
            // The socket is still finishing another write (Tomcat releases its lock from inside the completion
            // of its own write): wait for it off this thread, keeping the lock.
            blockingWrites.execute(() -> socket.write(BlockingMode.SEMI_BLOCK, timeoutMillis, TimeUnit.MILLISECONDS,
                    callback, SocketWrapperBase.COMPLETE_WRITE_WITH_COMPLETION, completion, buffers));
        }
    }

    /** SO_LINGER 0 on the connection's channel, so that closing it sends a reset and frees its send buffer at once. */
    @Override
    public void resetOnClose() {
        if (socket.getSocket() instanceof NioChannel channel) {
            try {
                channel.getIOChannel().setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException | RuntimeException e) {
                // Already closed: nothing left to reset.
            }
        }
    }
}
