package io.swarmcast.log;

import io.swarmcast.SwarmcastProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The in-memory event log, unless another {@link EventLog} bean (a shared one) is configured. */
@Configuration
class EventLogConfiguration {

    @Bean
    @ConditionalOnMissingBean(EventLog.class)
    EventLog inMemoryEventLog(SwarmcastProperties properties) {
        return new InMemoryEventLog(properties.historySize());
    }
}
