package io.swarmcast.config;

import io.swarmcast.SwarmcastProperties;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.util.List;
import java.util.Locale;

/**
 * Fails startup on a {@code swarmcast.*} setting that names nothing, with the nearest real name: a misspelt
 * {@code --swarmcast.limts.max-frame-size=1KB} would otherwise be ignored without a word and the server run
 * with the default. The known names are read off {@link SwarmcastProperties} by reflection ({@link SettingNames}),
 * in any of Spring's relaxed forms ({@code max-frame-size}, {@code maxFrameSize}).
 * <p>
 * Checked: the command line, Java system properties ({@code -D}), {@code application.yml}/{@code .properties}
 * and any other configuration file or test property source. Not checked: environment variables. An
 * environment is shared with other programs and scripts ({@code SWARMCAST_JAR}, {@code SWARMCAST_LOG}, the
 * launch script's own, tokens that a deployment maps itself), and an upper-case name with underscores
 * cannot be told apart from a setting reliably ({@code SWARMCAST_VIEWER_TOKEN} could mean
 * {@code swarmcast.viewer-token} or {@code swarmcast.viewer.token}), so flagging them would stop servers
 * that are configured correctly.
 * <p>
 * Runs after the configuration files are loaded (lowest precedence among the post-processors).
 */
public class UnknownSettings implements EnvironmentPostProcessor, Ordered {

    static final String PREFIX = "swarmcast";

    /**
     * Settings read outside {@link SwarmcastProperties}, each by a {@code @ConditionalOnProperty}: the hook for a
     * switch that is not worth a record component.
     */
    static final List<String> READ_ELSEWHERE = List.of("swarmcast.bench.enabled");

    private final SettingNames names = new SettingNames(PREFIX, SwarmcastProperties.class, READ_ELSEWHERE);

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (source instanceof SystemEnvironmentPropertySource || !(source instanceof EnumerablePropertySource<?> enumerable)) {
                continue;
            }
            for (String property : enumerable.getPropertyNames()) {
                check(property, source.getName());
            }
        }
    }

    void check(String property, String source) {
        if (!property.toLowerCase(Locale.ROOT).startsWith(PREFIX + ".")) {
            return;
        }
        ConfigurationPropertyName name = ConfigurationPropertyName.adapt(property, '.');
        if (name.isEmpty() || !names.isKnown(name)) {
            throw new UnknownSettingException(property, source, names.nearest(name.isEmpty() ? property : name.toString()));
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
