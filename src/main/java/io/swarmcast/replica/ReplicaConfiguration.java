package io.swarmcast.replica;

import io.swarmcast.SwarmcastProperties;
import io.swarmcast.domain.DomainLock;
import io.swarmcast.log.redis.RedisEventLog;
import io.swarmcast.swarm.Swarms;
import io.swarmcast.timeline.Timeline;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * With the Redis log only: the fold (a tail listener the event server runs before delivery), the record of this
 * instance's own changes, and the checkpoints. With the in-memory log one instance holds everything already.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "swarmcast.log", name = "type", havingValue = "redis")
class ReplicaConfiguration {

    @Bean
    OwnWrites ownWrites() {
        return new OwnWrites();
    }

    @Bean
    StateFold stateFold(DomainLock lock, Swarms swarms, OwnWrites own) {
        return new StateFold(lock, swarms, own);
    }

    @Bean
    ReplicatedState replicatedState(RedisEventLog log, StateFold fold, LettuceConnectionFactory connectionFactory,
                                    SwarmcastProperties properties, DomainLock lock, Swarms swarms,
                                    Timeline timeline) {
        SwarmcastProperties.Redis settings = properties.log().redis();
        CheckpointStore checkpoints = new CheckpointStore(new StringRedisTemplate(connectionFactory), settings.keyPrefix());
        return new ReplicatedState(log, fold, checkpoints, lock, swarms,
                settings.checkpointEvery(), settings.checkpointInterval(), timeline);
    }
}
