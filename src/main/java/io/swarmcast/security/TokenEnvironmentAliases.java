package io.swarmcast.security;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;

import java.util.HashMap;
import java.util.Map;

/**
 * Makes the short environment variables {@code SWARMCAST_VIEWER_TOKEN} and {@code SWARMCAST_PRODUCER_TOKEN} (one
 * token, or several comma-separated during a rotation) set {@code swarmcast.auth.viewer-tokens} and
 * {@code swarmcast.auth.producer-tokens}. Relaxed binding alone would want {@code SWARMCAST_AUTH_VIEWERTOKENS},
 * which also works and wins. The aliases rank just below the environment, above application.yml, so the file's
 * empty default does not hide them.
 */
class TokenEnvironmentAliases implements EnvironmentPostProcessor {

    static final String SOURCE = "swarmcastTokenAliases";
    private static final Map<String, String> ALIASES = Map.of(
            "SWARMCAST_VIEWER_TOKEN", "swarmcast.auth.viewer-tokens",
            "SWARMCAST_PRODUCER_TOKEN", "swarmcast.auth.producer-tokens");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> values = new HashMap<>();
        ALIASES.forEach((variable, property) -> {
            String value = environment.getProperty(variable);
            if (value != null && !value.isBlank()) {
                values.put(property, value.trim());
            }
        });
        if (values.isEmpty()) {
            return;
        }
        MutablePropertySources sources = environment.getPropertySources();
        MapPropertySource aliases = new MapPropertySource(SOURCE, values);
        if (sources.contains(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)) {
            sources.addAfter(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, aliases);
        } else {
            sources.addFirst(aliases);
        }
    }
}
