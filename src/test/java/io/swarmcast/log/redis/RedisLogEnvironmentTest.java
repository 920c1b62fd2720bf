package io.swarmcast.log.redis;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Redis defaults that follow from the log type, and REDIS_URL, each overridable by any real setting. */
class RedisLogEnvironmentTest {

    private static StandardEnvironment environment(Map<String, Object> settings) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", settings));
        new RedisLogEnvironment().postProcessEnvironment(environment, new SpringApplication());
        return environment;
    }

    @Test
    void withoutTheRedisLogRedisHasNoSayInHealth() {
        StandardEnvironment environment = environment(Map.of());
        assertThat(environment.getProperty("management.health.redis.enabled")).isEqualTo("false");
        assertThat(environment.getProperty("spring.data.redis.timeout")).isNull();
    }

    @Test
    void withTheRedisLogHealthStaysOnAndCommandsTimeOutQuickly() {
        StandardEnvironment environment = environment(Map.of("swarmcast.log.type", "redis"));
        assertThat(environment.getProperty("management.health.redis.enabled")).isNull();
        assertThat(environment.getProperty("spring.data.redis.timeout")).isEqualTo("2s");
    }

    @Test
    void redisUrlStandsForSpringsUrlUnlessThatIsSet() {
        assertThat(environment(Map.of("REDIS_URL", "redis://cache:6380")).getProperty("spring.data.redis.url"))
                .isEqualTo("redis://cache:6380");
        assertThat(environment(Map.of("REDIS_URL", "redis://cache:6380", "spring.data.redis.url", "redis://other:1"))
                .getProperty("spring.data.redis.url")).isEqualTo("redis://other:1");
        assertThat(environment(Map.of("swarmcast.log.type", "redis", "spring.data.redis.timeout", "5s"))
                .getProperty("spring.data.redis.timeout")).isEqualTo("5s");
    }
}
