package io.swarmcast.server;

import java.nio.ByteBuffer;

/** Where a client's frames are written: the connection's socket, below the WebSocket API. */
interface FrameSocket {

    /**
     * Writes every byte of {@code buffers}, in order, without blocking the caller, and then calls
     * {@code callback} exactly once: on the calling thread when the socket took everything at once, else
     * later from another thread. At most one write is outstanding at a time (the caller's contract).
     */
    void write(ByteBuffer[] buffers, WriteCallback callback);

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
}
