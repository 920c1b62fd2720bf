package io.swarmcast.log.redis;

import io.lettuce.core.ClientOptions;
import io.swarmcast.SwarmcastProperties;
import io.swarmcast.publish.ClientCount;
import io.swarmcast.server.EventServer;
import io.swarmcast.server.ServerIdentity;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.time.Duration;

/**
 * {@code swarmcast.log.type=redis}: the event log is a Redis stream shared by every instance. The connection is
 * Spring Boot's ({@code spring.data.redis.*}, or {@code REDIS_URL}: see {@link RedisLogEnvironment}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "swarmcast.log", name = "type", havingValue = "redis")
class RedisEventLogConfiguration {

    @Bean(destroyMethod = "close")
    RedisEventLog redisEventLog(LettuceConnectionFactory connectionFactory, SwarmcastProperties properties) {
        SwarmcastProperties.Redis settings = properties.log().redis();
        StringRedisTemplate template = new StringRedisTemplate(connectionFactory);
        Duration commandTimeout = connectionFactory.getClientConfiguration().getCommandTimeout();
        // The tail's read blocks for tail-block, so its connection waits that long plus an ordinary command's time.
        Duration tailTimeout = settings.tailBlock().plus(commandTimeout);
        return new RedisEventLog(template, () -> {
            connectionFactory.start();
            return AppendConnection.open(connectionFactory.getRequiredNativeClient());
        }, commandTimeout, () -> {
            connectionFactory.start();
            return TailConnection.open(connectionFactory.getRequiredNativeClient(), tailTimeout);
        }, RedisLogKeys.of(settings.keyPrefix()), properties.historySize(), settings.tailBlock(), settings.maxBackoff());
    }

    /**
     * {@code metrics:update}'s {@code connectedClients} over every instance on this Redis: each publishes its own
     * count on every metrics tick and reads the sum (the in-memory log's instance counts its own).
     */
    @Bean
    ClientCount redisClientCount(LettuceConnectionFactory connectionFactory, SwarmcastProperties properties,
                                 ServerIdentity identity, EventServer server, RedisEventLog log) {
        return new RedisClientCount(new StringRedisTemplate(connectionFactory), properties.log().redis().keyPrefix(),
                identity.serverId(), server::getConnectedClients, log::available);
    }

    /**
     * While Redis is unreachable, commands fail at once instead of waiting in Lettuce's buffer for a reconnect: an
     * ingest request then gets its 503 now, not after the command timeout, and holds no lock meanwhile.
     */
    @Bean
    LettuceClientOptionsBuilderCustomizer failFastWhileDisconnected() {
        return options -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
    }
}
