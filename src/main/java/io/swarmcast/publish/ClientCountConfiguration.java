package io.swarmcast.publish;

import io.swarmcast.server.EventServer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link ClientCount} seam, as the event log seam: the in-memory log's instance counts its own clients; the
 * Redis log's configuration brings the count over every instance on that Redis.
 */
@Configuration(proxyBeanMethods = false)
class ClientCountConfiguration {

    @Bean
    @ConditionalOnProperty(prefix = "swarmcast.log", name = "type", havingValue = "memory", matchIfMissing = true)
    ClientCount localClientCount(EventServer server) {
        return new LocalClientCount(server);
    }
}
