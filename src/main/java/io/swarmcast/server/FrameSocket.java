package io.swarmcast.server;

import java.io.IOException;

/**
 * Where a client's frames are written: the seam between {@link OutboundQueue} and the container. A
 * {@link FrameSocketFactory} opens one per connection; which implementation is chosen by
 * {@code swarmcast.delivery.socket} (the implementations are in {@code io.swarmcast.server.socket}).
 */
public interface FrameSocket {

    /**
     * Writes {@code frames}, in order, without blocking the caller, and then calls {@code callback} exactly
     * once: on the calling thread when the socket took everything at once, else later from another thread.
     * At most one write is outstanding at a time (the caller's contract). No data frame may follow the
     * connection's close frame: once the container has sent or answered a close, the write fails with a
     * {@link ClosingException} instead.
     */
    void write(WireFrame[] frames, WriteCallback callback);

    /**
     * Makes the coming close of the connection a reset (SO_LINGER 0): bytes the client has not read are dropped
     * at once instead of being held in the kernel while it retries to deliver them to a client that does not
     * read. Used for clients closed because their socket is full; a no-op where it does not apply.
     */
    default void resetOnClose() {
    }

    interface WriteCallback {
        void written();

        void failed(Throwable cause);
    }

    /**
     * A write refused because the connection's closing handshake has begun (RFC 6455 section 5.5.1): not an
     * error of the client's, and nothing to act on, since the container reports the close itself.
     */
    final class ClosingException extends IOException {

        public ClosingException() {
            super("the connection is closing: no data frame may follow its close frame");
        }
    }
}
