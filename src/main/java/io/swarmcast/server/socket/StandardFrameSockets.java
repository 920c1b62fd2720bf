package io.swarmcast.server.socket;

import io.swarmcast.server.FrameSocket;
import io.swarmcast.server.FrameSocketFactory;
import jakarta.websocket.Session;

import java.util.concurrent.Executor;

/** The standard path's factory: {@link StandardFrameSocket}s on the session's asynchronous remote endpoint. */
final class StandardFrameSockets implements FrameSocketFactory {

    static final String NAME = "standard";

    private final long timeoutMillis;

    StandardFrameSockets(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public FrameSocket open(Session session, Executor blockingWrites) {
        return new StandardFrameSocket(session.getAsyncRemote(), timeoutMillis, blockingWrites);
    }

    @Override
    public String name() {
        return NAME;
    }
}
