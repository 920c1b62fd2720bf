package io.swarmcast.publish;

import io.swarmcast.server.EventServer;
import lombok.RequiredArgsConstructor;

/** One instance is every instance: its own connected clients. */
@RequiredArgsConstructor
public final class LocalClientCount implements ClientCount {

    private final EventServer server;

    @Override
    public int connectedClients() {
        return server.getConnectedClients();
    }
}
