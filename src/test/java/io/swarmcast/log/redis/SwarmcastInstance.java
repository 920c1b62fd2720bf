package io.swarmcast.log.redis;

import io.swarmcast.SwarmcastApplication;
import io.swarmcast.support.Http;
import io.swarmcast.support.TestRedis;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.ArrayList;
import java.util.List;

/** One Swarmcast instance on the shared Redis log, started in this JVM on a random port (several may run at once). */
final class SwarmcastInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    final int port;

    private SwarmcastInstance(ConfigurableApplicationContext context) {
        this.context = context;
        this.port = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
    }

    /** {@code extra}: more {@code --name=value} settings, which replace the defaults above of the same name. */
    static SwarmcastInstance start(TestRedis redis, String keyPrefix, String serverId, String... extra) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--swarmcast.compat-enabled=false",
                "--swarmcast.server-id=" + serverId, "--swarmcast.metrics-enabled=false",
                "--swarmcast.log.type=redis", "--spring.data.redis.url=" + redis.url(),
                "--swarmcast.log.redis.key-prefix=" + keyPrefix));
        // An extra setting replaces the default of the same name (Spring would read a repeated option as a list).
        for (String setting : extra) {
            int equals = setting.indexOf('=');
            if (equals > 0) {
                String name = setting.substring(0, equals + 1);
                args.removeIf(arg -> arg.startsWith(name));
            }
        }
        args.addAll(List.of(extra));
        return new SwarmcastInstance(new SpringApplicationBuilder(SwarmcastApplication.class)
                .run(args.toArray(String[]::new)));
    }

    /** The HTTP status of readiness: 200 when ready, 503 when not. */
    int readiness() {
        return Http.get(port, "/actuator/health/readiness").status();
    }

    int liveness() {
        return Http.get(port, "/actuator/health/liveness").status();
    }

    /** A bean of the instance, to look inside it. */
    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
