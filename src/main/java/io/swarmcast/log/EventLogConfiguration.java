package io.swarmcast.log;

import io.swarmcast.SwarmcastProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The event log seam: {@code swarmcast.log.type} picks the one {@link EventLog} bean. Each kind of log has
 * its own condition here (or its own configuration class), so adding one (a shared log for several
 * instances) is a new bean under a new value, not an edit of the others.
 */
@Configuration(proxyBeanMethods = false)
class EventLogConfiguration {

    /** The default: a ring of the newest {@code history-size} events in this process. */
    @Bean
    @ConditionalOnProperty(prefix = "swarmcast.log", name = "type", havingValue = "memory", matchIfMissing = true)
    EventLog inMemoryEventLog(SwarmcastProperties properties) {
        return new InMemoryEventLog(properties.historySize());
    }
}
