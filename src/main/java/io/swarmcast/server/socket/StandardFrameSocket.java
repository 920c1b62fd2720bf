package io.swarmcast.server.socket;

import io.swarmcast.server.FrameSocket;
import io.swarmcast.server.WireFrame;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The standard path: only the Jakarta WebSocket API, so it runs on any container. Each frame is its own
 * asynchronous {@code sendText} of the frame's text ({@link WireFrame#text()}, decoded once per event and
 * shared by its clients); the container encodes and frames it again for every client and completes each send
 * on one of its threads, which is what the direct path saves. The frames of one write are sent one after the
 * other (the API allows one message in flight), and the write completes when the last one has.
 *
 * <p>The heartbeat ping uses {@code sendPing}, which blocks until written, so it is sent from
 * {@code blockingWrites}. The API offers no non-blocking batching: {@code setBatchingAllowed} needs a
 * blocking {@code flushBatch}. The container keeps the close handshake itself: a send after its close frame
 * fails or is dropped.
 */
final class StandardFrameSocket implements FrameSocket {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final RemoteEndpoint.Async remote;
    private final Executor blockingWrites;

    StandardFrameSocket(RemoteEndpoint.Async remote, long timeoutMillis, Executor blockingWrites) {
        this.remote = remote;
        this.blockingWrites = blockingWrites;
        // A send the client does not read within the limit fails with a SocketTimeoutException: a slow consumer.
        remote.setSendTimeout(timeoutMillis);
    }

    @Override
    public void write(WireFrame[] frames, WriteCallback callback) {
        new Write(frames, callback).next();
    }

    /** One write: its frames sent in order, each send started when the one before completed. */
    private final class Write implements SendHandler {

        private static final int IN_CALL = 0;
        private static final int RETURNED = 1;
        private static final int COMPLETED_IN_CALL = 2;

        private final WireFrame[] frames;
        private final WriteCallback callback;
        private final AtomicInteger sendPhase = new AtomicInteger();
        private int index;
        private volatile boolean failed;

        Write(WireFrame[] frames, WriteCallback callback) {
            this.frames = frames;
            this.callback = callback;
        }

        /** Sends frames until one completes later (its completion goes on) or all are sent. No recursion. */
        void next() {
            while (index < frames.length) {
                WireFrame frame = frames[index++];
                if (frame.isPing()) {
                    blockingWrites.execute(this::pingAndGoOn);
                    return;
                }
                sendPhase.set(IN_CALL);
                try {
                    remote.sendText(frame.text(), this);
                } catch (RuntimeException e) {
                    fail(e);
                    return;
                }
                if (sendPhase.compareAndSet(IN_CALL, RETURNED) || failed) {
                    return;
                }
            }
            callback.written();
        }

        @Override
        public void onResult(SendResult result) {
            if (!result.isOK()) {
                fail(result.getException());
                return;
            }
            // Completed inside sendText: the loop that called it goes on. Completed later: go on here.
            if (!sendPhase.compareAndSet(IN_CALL, COMPLETED_IN_CALL)) {
                next();
            }
        }

        private void pingAndGoOn() {
            try {
                remote.sendPing(EMPTY.duplicate());
            } catch (IOException | RuntimeException e) {
                fail(e);
                return;
            }
            next();
        }

        private void fail(Throwable cause) {
            failed = true;
            callback.failed(cause);
        }
    }
}
