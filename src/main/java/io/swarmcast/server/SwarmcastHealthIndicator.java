package io.swarmcast.server;

import lombok.RequiredArgsConstructor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** The {@code swarmcast} health component: up while the event server runs, with its clients, history and socket path. */
@RequiredArgsConstructor
@Component
class SwarmcastHealthIndicator implements HealthIndicator {

    private final EventServer server;
    private final FrameSocketFactory sockets;

    @Override
    public Health health() {
        Health.Builder health = server.isRunning() ? Health.up() : Health.outOfService();
        return health.withDetail("clientsConnected", server.getConnectedClients())
                .withDetail("historySize", server.historySize())
                .withDetail("newestSeq", server.newestSeq())
                .withDetail("epoch", server.epoch())
                .withDetail("serverId", server.serverId())
                .withDetail("socket", sockets.name())
                .build();
    }
}
