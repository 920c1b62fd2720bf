package io.swarmcast.launch;

import io.swarmcast.support.FreePorts;
import io.swarmcast.support.Http;
import io.swarmcast.support.JarProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the packaged jar starts, or refuses to: a mistyped command line ends with one line and status 2 before
 * Spring starts; {@code --help} and {@code --version} answer without starting; a ready server says where
 * everything is in one INFO block; a taken compatibility port is skipped with a warning unless it was asked
 * for, and a taken main port fails with Spring Boot's short report. Never a stack trace.
 */
class LaunchIT {

    private static final Path LOGS = Path.of("target", "launch-it");
    private static final Map<String, String> NO_ENV = Map.of();

    @BeforeAll
    static void jarExists() {
        assertThat(JarProcess.JAR).as("run with ./mvnw verify, which packages the jar before integration tests").isRegularFile();
    }

    @Test
    void mistypedOptionsFailWithOneLineNamingTheNearestValidOne() throws Exception {
        assertRefused("prot", "did you mean --port?", "--prot=4117");
        assertRefused("dash-p", "unknown option '-p'; did you mean --port?", "-p", "4117");
        assertRefused("space", "--port needs its value after '=': --port=4117", "--port", "4117");
        assertRefused("bare-port", "--port needs its value", "--port");
        assertRefused("sever", "did you mean --server.port?", "--sever.port=4117");
    }

    @Test
    void helpAndVersionAnswerWithoutStartingTheServer() throws Exception {
        try (JarProcess help = JarProcess.start(LOGS, "help", NO_ENV, "--help")) {
            assertThat(help.awaitExit()).isZero();
            assertThat(help.log()).contains("Usage: java [JVM options] -jar swarmcast.jar", "--port=N", "--host=H", "--demo",
                    "--swarmcast.compat-port=N", "--swarmcast.log.type", "--swarmcast.auth.viewer-tokens",
                    "--swarmcast.auth.producer-tokens", "--version").doesNotContain("Tomcat", "INFO");
        }
        try (JarProcess version = JarProcess.start(LOGS, "version", NO_ENV, "--version")) {
            assertThat(version.awaitExit()).isZero();
            assertThat(version.log().strip()).matches("Swarmcast \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        }
    }

    @Test
    void aReadyServerSaysWhereEverythingIs() throws Exception {
        int[] ports = FreePorts.distinct(2);
        try (JarProcess app = JarProcess.start(LOGS, "ready", NO_ENV, "--port=" + ports[0], "--swarmcast.compat-port=" + ports[1])) {
            app.awaitReady(ports[0]);
            String http = "http://localhost:" + ports[0];
            assertThat(app.log()).contains("is ready",
                    "dashboard:   " + http + "/",
                    "WebSocket:   ws://localhost:" + ports[0] + "/",
                    "ingest:      POST " + http + "/api/events, POST " + http + "/event",
                    "compat port: POST http://localhost:" + ports[1] + "/event",
                    "event log:   memory",
                    "auth:        off",
                    "health:      " + http + "/actuator/health");
        }
    }

    @Test
    void aTakenDerivedCompatibilityPortIsSkippedWithOneWarning() throws Exception {
        int port = FreePorts.withFreeSuccessor();
        try (ServerSocket occupant = occupy(port + 1);
             JarProcess app = JarProcess.start(LOGS, "compat-busy", NO_ENV, "--port=" + port)) {
            app.awaitReady(port);
            Http.Response event = Http.post(port, "/event",
                    "{\"channel\":\"tasks\",\"type\":\"task:created\",\"event\":{\"id\":\"launch-it\"}}");
            assertThat(event.status()).as(event.body()).isEqualTo(202);
            String log = app.log();
            assertThat(log).contains("WARN", "Port " + (port + 1) + " (main port + 1) is in use",
                    "--swarmcast.compat-port=N", "--swarmcast.compat-enabled=false",
                    "compat port: off");
            assertThat(log.lines().filter(line -> line.contains("WARN"))).hasSize(1);
            assertNoStackTrace(log);
            assertThat(occupant.isBound()).isTrue();
        }
    }

    @Test
    void aTakenCompatibilityPortThatWasAskedForFailsTheStart() throws Exception {
        int[] ports = FreePorts.distinct(2);
        try (ServerSocket occupant = occupy(ports[1]);
             JarProcess app = JarProcess.start(LOGS, "compat-explicit-busy", NO_ENV, "--port=" + ports[0],
                     "--swarmcast.compat-port=" + ports[1])) {
            assertThat(app.awaitExit()).isNotZero();
            assertThat(app.log()).contains("APPLICATION FAILED TO START",
                    "Port " + ports[1] + " for the Claude Flow CLI compatibility listener (swarmcast.compat-port) is already in use",
                    "--swarmcast.compat-enabled=false");
            assertNoStackTrace(app.log());
        }
    }

    @Test
    void aTakenMainPortFailsTheStartWithoutAStackTrace() throws Exception {
        int port = FreePorts.distinct(1)[0];
        try (ServerSocket occupant = occupy(port);
             JarProcess app = JarProcess.start(LOGS, "main-busy", NO_ENV, "--port=" + port, "--swarmcast.compat-enabled=false")) {
            assertThat(app.awaitExit()).isNotZero();
            assertThat(app.log()).contains("APPLICATION FAILED TO START", "Port " + port + " was already in use");
            assertNoStackTrace(app.log());
        }
    }

    private static void assertRefused(String name, String message, String... args) throws Exception {
        try (JarProcess app = JarProcess.start(LOGS, "refused-" + name, NO_ENV, args)) {
            assertThat(app.awaitExit()).as(app.log()).isEqualTo(CommandLineCheck.USAGE_ERROR);
            String output = app.log().strip();
            assertThat(output.lines()).as(output).hasSize(1);
            assertThat(output).startsWith("swarmcast: ").contains(message);
        }
    }

    private static void assertNoStackTrace(String log) {
        assertThat(log.lines().filter(line -> line.startsWith("\tat ") || line.contains("Exception in thread")))
                .as(log).isEmpty();
    }

    /** Holds a port the way another server would, on the address Swarmcast binds (localhost). */
    private static ServerSocket occupy(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getByName("localhost"), port));
        return socket;
    }
}
