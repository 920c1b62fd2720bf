package io.swarmcast;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.CommandLinePropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

import java.util.HashMap;
import java.util.Map;

/**
 * Makes {@code --port=N}, {@code --host=H} and {@code --demo} work as the original event server's options did, and makes
 * the web server listen where {@code swarmcast.port} and {@code swarmcast.host} say, whichever way those were
 * set (command line, {@code SWARMCAST_PORT}, application.yml or the default in code). An explicit
 * {@code server.port} (tests use 0) still wins.
 */
class CommandLineAliases implements EnvironmentPostProcessor {

    static final String ALIASES = "swarmcastCommandLineAliases";
    static final String DERIVED = "swarmcastDerivedServerSettings";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        MutablePropertySources sources = environment.getPropertySources();
        PropertySource<?> commandLine = sources.get(CommandLinePropertySource.COMMAND_LINE_PROPERTY_SOURCE_NAME);
        if (commandLine != null) {
            Map<String, Object> aliases = new HashMap<>();
            copy(commandLine, "port", "swarmcast.port", aliases);
            copy(commandLine, "host", "swarmcast.host", aliases);
            Object demo = commandLine.getProperty("demo");
            if (demo != null) {
                // A bare --demo arrives as an empty value.
                aliases.put("swarmcast.demo.enabled", demo.toString().isEmpty() ? "true" : demo.toString());
            }
            if (!aliases.isEmpty()) {
                sources.addAfter(CommandLinePropertySource.COMMAND_LINE_PROPERTY_SOURCE_NAME, new MapPropertySource(ALIASES, aliases));
            }
        }
        SwarmcastProperties properties = Binder.get(environment)
                .bindOrCreate("swarmcast", SwarmcastProperties.class);
        sources.addLast(new MapPropertySource(DERIVED, Map.of(
                "server.port", properties.port(),
                "server.address", properties.host())));
    }

    private static void copy(PropertySource<?> source, String from, String to, Map<String, Object> into) {
        Object value = source.getProperty(from);
        if (value != null) {
            into.put(to, value);
        }
    }
}
