package io.swarmcast.launch;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

class StartupReportTest {

    @Test
    void namesEveryUrlOnTheBoundPorts() {
        String report = StartupReport.report("1.2.3", "localhost", 4181, OptionalInt.of(4182), "memory", 0, 0);

        assertThat(report.lines()).containsExactly(
                "Swarmcast 1.2.3 is ready",
                "  dashboard:   http://localhost:4181/",
                "  WebSocket:   ws://localhost:4181/ (also /ws)",
                "  ingest:      POST http://localhost:4181/api/events, POST http://localhost:4181/event",
                "  compat port: POST http://localhost:4182/event (Claude Flow CLI)",
                "  event log:   memory (swarmcast.log.type)",
                "  auth:        off (anyone who can reach the port may watch and post)",
                "  health:      http://localhost:4181/actuator/health");
    }

    @Test
    void saysWhenTheCompatibilityPortIsOffAndWhenTokensAreNeeded() {
        String report = StartupReport.report("1.2.3", "localhost", 4181, OptionalInt.empty(), "memory", 2, 1);

        assertThat(report).contains("compat port: off (POST /event works on the main port)",
                "auth:        on (2 viewer token(s), 1 producer token(s))");
    }

    @Test
    void countsTokensGivenEitherWay() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty(StartupReport.VIEWER_TOKENS, "alpha, beta")
                .withProperty(StartupReport.PRODUCER_TOKENS + "[0]", "gamma")
                .withProperty(StartupReport.PRODUCER_TOKENS + "[1]", " ");

        assertThat(StartupReport.tokens(environment, StartupReport.VIEWER_TOKENS)).isEqualTo(2);
        assertThat(StartupReport.tokens(environment, StartupReport.PRODUCER_TOKENS)).isEqualTo(1);
        assertThat(StartupReport.tokens(new MockEnvironment(), StartupReport.VIEWER_TOKENS)).isZero();
        assertThat(StartupReport.tokens(new MockEnvironment().withProperty(StartupReport.VIEWER_TOKENS, ""),
                StartupReport.VIEWER_TOKENS)).isZero();
    }

    @Test
    void aWildcardBindIsReachedOnLocalhost() {
        assertThat(StartupReport.reachableHost("0.0.0.0")).isEqualTo("localhost");
        assertThat(StartupReport.reachableHost("::")).isEqualTo("localhost");
        assertThat(StartupReport.reachableHost("127.0.0.1")).isEqualTo("127.0.0.1");
        assertThat(StartupReport.reachableHost("::1")).isEqualTo("[::1]");
    }
}
