package io.swarmcast.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The names {@link UnknownSettings} takes for settings, read off {@code SwarmcastProperties}, in every relaxed form. */
class UnknownSettingsTest {

    private final UnknownSettings check = new UnknownSettings();

    @ParameterizedTest
    @ValueSource(strings = {"swarmcast.port", "swarmcast.limits.max-frame-size", "swarmcast.limits.maxFrameSize",
            "swarmcast.limits.max_frame_size", "swarmcast.tasks.finished-retention", "swarmcast.demo.enabled",
            "swarmcast.limits.max-event-size", "swarmcast.bench.enabled", "swarmcast.limits", "server.port",
            "spring.application.name"})
    void knownNamesPass(String name) {
        assertThatCode(() -> check.check(name, "test")).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"swarmcast.limts.max-frame-size", "swarmcast.limits.max-frame", "swarmcast.portt",
            "swarmcast.demo.enabled.really", "swarmcast.nothing-like-any-setting-at-all"})
    void unknownNamesFail(String name) {
        UnknownSettingException e = catchThrowableOfType(UnknownSettingException.class, () -> check.check(name, "test"));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains(name).contains("test");
    }

    @Test
    void suggestsTheNearestName() {
        assertThat(catchThrowableOfType(UnknownSettingException.class, () -> check.check("swarmcast.limits.max-frame", "t"))
                .getSuggestion()).isEqualTo("swarmcast.limits.max-frame-size");
        assertThat(catchThrowableOfType(UnknownSettingException.class,
                () -> check.check("swarmcast.nothing-like-any-setting-at-all", "t")).getSuggestion()).isNull();
    }

    @Test
    void environmentVariablesAreNotChecked() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("systemEnvironment-test",
                Map.of("SWARMCAST_VIEWER_TOKEN", "secret", "SWARMCAST_LOG_TYPE", "json")));
        assertThatCode(() -> check.postProcessEnvironment(environment, new SpringApplication())).doesNotThrowAnyException();

        environment.getPropertySources().addFirst(new MapPropertySource("file", Map.of("swarmcast.viewer-token", "secret")));
        assertThat(catchThrowableOfType(UnknownSettingException.class,
                () -> check.postProcessEnvironment(environment, new SpringApplication())).getSource()).isEqualTo("file");
    }

    @Test
    void listAndMapSettingsTakeAnyNameBelowThem() {
        SettingNames names = new SettingNames("x", WithContainers.class, java.util.List.of());
        assertThat(names.isKnown(org.springframework.boot.context.properties.source.ConfigurationPropertyName.of("x.origins[0]"))).isTrue();
        assertThat(names.isKnown(org.springframework.boot.context.properties.source.ConfigurationPropertyName.of("x.nested.tokens.viewer"))).isTrue();
        assertThat(names.isKnown(org.springframework.boot.context.properties.source.ConfigurationPropertyName.of("x.nested.size-limit"))).isTrue();
        assertThat(names.isKnown(org.springframework.boot.context.properties.source.ConfigurationPropertyName.of("x.nested.other"))).isFalse();
    }

    record WithContainers(java.util.List<String> origins, Nested nested) {
        record Nested(Map<String, String> tokens, int sizeLimit) {
        }
    }
}
