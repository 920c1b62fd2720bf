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

    interface WriteCallback {
        void written();

        void failed(Throwable cause);
    }
}
