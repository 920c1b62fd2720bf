package io.swarmcast.server;

import jakarta.websocket.Session;

import java.util.concurrent.Executor;

/**
 * Opens the {@link FrameSocket} of each new connection. One bean, chosen at startup by
 * {@code swarmcast.delivery.socket} ({@code io.swarmcast.server.socket.FrameSocketConfiguration}).
 */
public interface FrameSocketFactory {

    /**
     * The socket for a new connection.
     *
     * @param session        the connection's WebSocket session
     * @param blockingWrites where a write that must wait (for the container's own write on the same
     *                       connection, or a blocking API call) waits, never on the caller's thread
     */
    FrameSocket open(Session session, Executor blockingWrites);

    /** The path in use, as the health details name it: {@code direct} or {@code standard}. */
    String name();
}
