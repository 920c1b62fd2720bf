package io.swarmcast.log;

import io.swarmcast.SwarmcastProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code eventLog} health component, part of readiness: down while the log cannot take appends (a shared log
 * whose Redis is unreachable), so a load balancer stops sending producers to an instance that would answer 503.
 * Liveness does not include it: the process is fine, open WebSocket connections stay open, and the log comes back
 * by itself when Redis does.
 */
@Component
class EventLogHealthIndicator implements HealthIndicator {

    private final EventLog log;
    private final SwarmcastProperties.LogType type;

    EventLogHealthIndicator(EventLog log, SwarmcastProperties properties) {
        this.log = log;
        this.type = properties.log().type();
    }

    @Override
    public Health health() {
        Health.Builder health = log.available() ? Health.up() : Health.down();
        health.withDetail("type", type.name().toLowerCase(java.util.Locale.ROOT)).withDetail("epoch", log.epoch());
        String reason = log.unavailableReason();
        if (reason != null) {
            health.withDetail("error", reason);
        }
        return health.build();
    }
}
