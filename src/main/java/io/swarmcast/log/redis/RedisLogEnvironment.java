package io.swarmcast.log.redis;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.HashMap;
import java.util.Map;

/**
 * The Redis settings that follow from {@code swarmcast.log.type}, as defaults every other source overrides:
 * <ul>
 *   <li>without the Redis log, Spring Boot's Redis health check is off: the connection factory exists (the starter
 *       is on the class path) but nothing connects, and a missing Redis must not report the instance down;</li>
 *   <li>{@code REDIS_URL} (the usual variable of hosting platforms) stands for {@code spring.data.redis.url};</li>
 *   <li>with the Redis log, commands time out after 2 s unless {@code spring.data.redis.timeout} says otherwise
 *       (Lettuce's own default is a minute, far too long for an ingest request waiting on a dead Redis).</li>
 * </ul>
 */
class RedisLogEnvironment implements EnvironmentPostProcessor {

    static final String SOURCE = "swarmcastRedisLogDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> defaults = new HashMap<>();
        boolean redisLog = "redis".equalsIgnoreCase(environment.getProperty("swarmcast.log.type", "memory").trim());
        if (!redisLog) {
            defaults.put("management.health.redis.enabled", "false");
        } else {
            defaults.put("spring.data.redis.timeout", "2s");
        }
        String redisUrl = environment.getProperty("REDIS_URL");
        if (redisUrl != null && !redisUrl.isBlank()) {
            defaults.put("spring.data.redis.url", redisUrl);
        }
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE, defaults));
    }
}
