package io.swarmcast.security;

import io.swarmcast.SwarmcastApplication;
import io.swarmcast.support.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.http.HttpRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Safe defaults, with the application started as {@code main} starts it: bound beyond loopback without tokens it
 * refuses to start, with one clear message naming the settings that fix it; {@code allow-anonymous} starts it
 * with a warning; tokens from {@code SWARMCAST_PRODUCER_TOKEN} (comma-separated) start it and are required.
 */
@ExtendWith(OutputCaptureExtension.class)
class ExposureIT {

    private static final String[] COMMON = {"--server.port=0", "--swarmcast.compat-enabled=false",
            "--swarmcast.metrics-enabled=false", "--spring.jmx.enabled=false"};

    @Test
    void refusesToListenOnEveryInterfaceWithoutTokens(CapturedOutput output) {
        Throwable failure = catchThrowable(() -> start("--swarmcast.host=0.0.0.0").close());

        assertThat(failure).isNotNull();
        Throwable cause = failure;
        while (!(cause instanceof InsecureConfigurationException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        assertThat(cause).isInstanceOf(InsecureConfigurationException.class);
        assertThat(cause.getMessage()).contains("0.0.0.0", "swarmcast.auth.allow-anonymous", "swarmcast.auth.producer-tokens",
                "SWARMCAST_PRODUCER_TOKEN");
        // Spring Boot's failure report, not a stack trace: what is wrong, and the action naming the settings.
        assertThat(output.getAll()).contains("APPLICATION FAILED TO START", "without authentication",
                "swarmcast.auth.allow-anonymous=true");
        assertThat(output.getAll()).doesNotContain("\tat io.swarmcast.security.ExposureGuard");
    }

    @Test
    void startsWithAWarningWhenAnonymousAccessIsAllowedExplicitly(CapturedOutput output) {
        try (ConfigurableApplicationContext context = start("--swarmcast.host=0.0.0.0", "--swarmcast.auth.allow-anonymous=true")) {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            assertThat(output.getAll()).contains("WARN").contains("WITHOUT authentication");
            assertThat(Http.get(port, "/api/state").status()).isEqualTo(200);
            // Auth off but reachable from the network: health details are not for everyone.
            assertThat(Http.get(port, "/actuator/health").json().has("components")).isFalse();
        }
    }

    @Test
    void startsOnEveryInterfaceWithTokensFromTheShortEnvironmentNames() {
        String first = "first-producer-token-123";
        String second = "second-producer-token-456";
        try (ConfigurableApplicationContext context = start("--swarmcast.host=0.0.0.0",
                "--SWARMCAST_PRODUCER_TOKEN=" + first + "," + second, "--SWARMCAST_VIEWER_TOKEN=only-viewer-token-789")) {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            assertThat(Http.get(port, "/api/state").status()).isEqualTo(401);
            for (String token : new String[] {first, second, "only-viewer-token-789"}) {
                assertThat(Http.exchange(Http.request(port, "/api/state").header("Authorization", "Bearer " + token).GET().build())
                        .statusCode()).as(token).isEqualTo(200);
            }
            assertThat(Http.exchange(Http.request(port, "/api/events").header("Authorization", "Bearer " + second)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"agent:status\",\"agentId\":\"env-a\",\"status\":\"idle\"}"))
                    .build()).statusCode()).isEqualTo(202);
        }
    }

    @Test
    void refusesATokenTooShortToBeSafe(CapturedOutput output) {
        String weak = "shortpassword";
        Throwable failure = catchThrowable(() -> start("--swarmcast.auth.producer-tokens=good-token-0123456789," + weak).close());
        assertThat(failure).isNotNull();
        assertThat(output.getAll()).contains("APPLICATION FAILED TO START", "Token 2 of swarmcast.auth.producer-tokens",
                "16 to 512 characters");
        assertThat(output.getAll()).as("not even a refused token is printed").doesNotContain(weak);
    }

    private static ConfigurableApplicationContext start(String... args) {
        String[] all = new String[COMMON.length + args.length];
        System.arraycopy(COMMON, 0, all, 0, COMMON.length);
        System.arraycopy(args, 0, all, COMMON.length, args.length);
        return new SpringApplication(SwarmcastApplication.class).run(all);
    }
}
