package io.swarmcast.config;

import io.swarmcast.SwarmcastApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A setting out of its range, or a {@code swarmcast.*} name that names nothing, stops the server at startup with
 * Spring Boot's report naming the setting, instead of a server that runs unusable or ignores the typo.
 * Starts the real application in the test with command-line arguments.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConfigurationValidationIT {

    private static Throwable start(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--server.port=0";
        all[1] = "--swarmcast.compat-enabled=false";
        System.arraycopy(args, 0, all, 2, args.length);
        return catchThrowable(() -> {
            ConfigurableApplicationContext context = SpringApplication.run(SwarmcastApplication.class, all);
            context.close();
        });
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "swarmcast.limits.max-frame-size,      0,     must be from 1KB to 16MB",
            "swarmcast.limits.max-frame-size,      1GB,   must be from 1KB to 16MB",
            "swarmcast.limits.max-body-size,       -1,    must be from 1KB to 256MB",
            "swarmcast.limits.max-event-size,      0,     must be from 1KB to 16MB",
            "swarmcast.limits.send-time-limit,     0,     must be from 100ms to 1h",
            "swarmcast.limits.rate-limit-window,   -5s,   must be from 100ms to 1h",
            "swarmcast.heartbeat-interval,         0,     must be from 100ms to 1h",
            "swarmcast.heartbeat-interval,         2h,    must be from 100ms to 1h",
            "swarmcast.history-size,               0,     must be greater than or equal to 1",
            "swarmcast.demo.workers,               0,     must be greater than or equal to 1",
            "swarmcast.history-size,               20000000, must be less than or equal to 10000000",
            "swarmcast.tasks.finished-retention,   -1m,   must be from 0s to 365d",
            "swarmcast.limits.shutdown-flush-timeout, -1s, must be from 0s to 10m",
    })
    void invalidValueFailsStartupNamingTheSetting(String setting, String value, String reason, CapturedOutput output) {
        Throwable failure = start("--" + setting + "=" + value);

        assertThat(failure).as("startup must fail").isNotNull();
        assertThat(output.getAll())
                .contains("APPLICATION FAILED TO START")
                .contains("Property: " + setting)
                .contains("Reason: " + reason);
    }

    @Test
    void unknownSettingFailsStartupWithTheNearestName(CapturedOutput output) {
        Throwable failure = start("--swarmcast.limts.max-frame-size=1KB");

        assertThat(failure).isInstanceOf(UnknownSettingException.class);
        assertThat(((UnknownSettingException) failure).getSuggestion()).isEqualTo("swarmcast.limits.max-frame-size");
        assertThat(output.getAll())
                .contains("APPLICATION FAILED TO START")
                .contains("Unknown setting swarmcast.limts.max-frame-size (from commandLineArgs)")
                .contains("Did you mean swarmcast.limits.max-frame-size?");
    }

    @Test
    void unknownSettingInASystemPropertyFailsStartupToo(CapturedOutput output) {
        System.setProperty("swarmcast.hearbeat-interval", "10s");
        try {
            Throwable failure = start();
            assertThat(failure).isInstanceOf(UnknownSettingException.class);
            assertThat(output.getAll()).contains("Did you mean swarmcast.heartbeat-interval?");
        } finally {
            System.clearProperty("swarmcast.hearbeat-interval");
        }
    }
}
