package io.swarmcast.server;

import jakarta.websocket.Session;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.apache.tomcat.util.net.SocketWrapperBase.BlockingMode;
import org.apache.tomcat.util.net.SocketWrapperBase.CompletionState;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Writes ready-made frames straight to a Tomcat WebSocket connection's socket, as one gathering write.
 *
 * <p>Why below the WebSocket API: {@code RemoteEndpoint.sendText} takes a {@code String}, so Tomcat
 * UTF-8-encodes and frames every client's copy of an event again, writes one frame per call and hands
 * every completion to another thread. Measured (docs/benchmarks.md), that was most of the server's CPU per
 * delivered frame. Here an event is encoded once ({@link WireFrame}), and everything waiting for a client
 * goes out in one write, completing on the calling thread when the socket has room.
 *
 * <p>Sharing the socket with Tomcat is safe because the socket allows one write at a time: Tomcat's own
 * writes on this connection (the close frame, answers to client pings) wait for ours and ours for them.
 * Ours never wait: when Tomcat holds the socket, the write is retried on {@code blockingWrites}, which may.
 *
 * <p>Tomcat keeps the socket in private fields, read here once per connection. This is tied to Tomcat's
 * internals (checked against Tomcat 11.0), and fails at the first connection, with this class named, if a
 * Tomcat upgrade changes them; {@code TomcatFrameSocketTest} and every WebSocket test exercise it.
 */
final class TomcatFrameSocket implements FrameSocket {

    private static final Field SESSION_REMOTE_ENDPOINT = field("org.apache.tomcat.websocket.WsSession",
            "wsRemoteEndpoint");
    private static final Field ENDPOINT_SOCKET = field("org.apache.tomcat.websocket.server.WsRemoteEndpointImplServer",
            "socketWrapper");

    private static final CompletionHandler<Long, WriteCallback> COMPLETION = new CompletionHandler<>() {
        @Override
        public void completed(Long bytes, WriteCallback callback) {
            callback.written();
        }

        @Override
        public void failed(Throwable cause, WriteCallback callback) {
            callback.failed(cause);
        }
    };

    private final SocketWrapperBase<?> socket;
    private final long timeoutMillis;
    private final Executor blockingWrites;

    TomcatFrameSocket(SocketWrapperBase<?> socket, long timeoutMillis, Executor blockingWrites) {
        this.socket = socket;
        this.timeoutMillis = timeoutMillis;
        this.blockingWrites = blockingWrites;
    }

    /**
     * The socket under a Tomcat WebSocket session.
     *
     * @param timeoutMillis  how long a write may wait for the client to read before it fails
     * @param blockingWrites where a write that finds Tomcat writing to the same socket waits its turn
     */
    static TomcatFrameSocket of(Session session, long timeoutMillis, Executor blockingWrites) {
        try {
            Object endpoint = SESSION_REMOTE_ENDPOINT.get(session);
            SocketWrapperBase<?> socket = (SocketWrapperBase<?>) ENDPOINT_SOCKET.get(endpoint);
            return new TomcatFrameSocket(socket, timeoutMillis, blockingWrites);
        } catch (IllegalAccessException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalStateException("Swarmcast writes frames through Tomcat's WebSocket socket, but this "
                    + "session (" + session.getClass().getName() + ") does not have the expected internals", e);
        }
    }

    @Override
    public void write(ByteBuffer[] buffers, WriteCallback callback) {
        CompletionState state = socket.write(BlockingMode.NON_BLOCK, timeoutMillis, TimeUnit.MILLISECONDS, callback,
                SocketWrapperBase.COMPLETE_WRITE_WITH_COMPLETION, COMPLETION, buffers);
        if (state == CompletionState.NOT_DONE) {
            // Tomcat is writing a control frame of its own on this socket: wait for it off this thread.
            blockingWrites.execute(() -> socket.write(BlockingMode.SEMI_BLOCK, timeoutMillis, TimeUnit.MILLISECONDS,
                    callback, SocketWrapperBase.COMPLETE_WRITE_WITH_COMPLETION, COMPLETION, buffers));
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

    private static Field field(String className, String name) {
        try {
            Field field = Class.forName(className).getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("Tomcat's " + className + "." + name + " was not found: TomcatFrameSocket "
                    + "needs updating for this Tomcat version", e);
        }
    }
}
