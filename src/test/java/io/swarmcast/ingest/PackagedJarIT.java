package io.swarmcast.ingest;

import io.swarmcast.support.Http;
import io.swarmcast.support.TestClient;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.swarmcast.ingest.Ingest.seqs;
import static io.swarmcast.ingest.Ingest.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The packaged {@code target/swarmcast.jar} as operators run it: a separate process started with
 * {@code java -jar}, configured by the command line and the environment, probed through actuator, fed an
 * event, and stopped by its own PID. Failsafe runs this after {@code package}, so the jar is the one the
 * build produced.
 */
class PackagedJarIT {

    private static final Path JAR = Path.of("target", "swarmcast.jar");
    private static final Path LOGS = Path.of("target", "packaged-jar-it");

    @BeforeAll
    static void jarExists() throws IOException {
        assertThat(JAR).as("run with ./mvnw verify, which packages the jar before integration tests").isRegularFile();
        Files.createDirectories(LOGS);
    }

    @Test
    void startsFromTheJarWithPortOptionsAndStopsOnItsPid() throws Exception {
        int[] ports = freePorts(3);
        int port = ports[0];
        int compat = ports[1];
        int envPort = ports[2];
        // --port on the command line wins over SWARMCAST_PORT in the environment.
        try (Launched app = Launched.start("cli-options", Map.of("SWARMCAST_PORT", Integer.toString(envPort)),
                "--port=" + port, "--swarmcast.compat-port=" + compat)) {
            app.awaitReady(port);
            assertRefused(envPort);

            JsonNode readiness = Http.get(port, "/actuator/health/readiness").json();
            assertThat(readiness.path("components").path("swarmcast").path("status").asString()).isEqualTo("UP");
            JsonNode health = Http.get(port, "/actuator/health").json();
            assertThat(health.path("status").asString()).isEqualTo("UP");
            JsonNode swarmcast = health.path("components").path("swarmcast");
            assertThat(swarmcast.path("status").asString()).as(health.toString()).isEqualTo("UP");
            assertThat(swarmcast.path("details").path("epoch").asString()).isNotBlank();
            assertThat(Http.get(port, "/actuator/health/liveness").json().path("status").asString()).isEqualTo("UP");

            try (TestClient client = TestClient.connectWelcomed(port)) {
                client.subscribe("agents", "topology");
                String agentId = uniqueId("jar-agent");
                Http.Response typed = Http.post(port, "/api/events",
                        "{\"type\":\"agent:status\",\"agentId\":\"" + agentId + "\",\"status\":\"busy\"}");
                assertThat(typed.status()).as(typed.body()).isEqualTo(202);
                long seq = seqs(typed).get(0);
                assertThat(Ingest.awaitSeq(client, seq).path("agentId").asString()).isEqualTo(agentId);

                String swarmId = uniqueId("jar-swarm");
                Http.Response cli = Http.post(compat, "/event",
                        "{\"channel\":\"topology\",\"type\":\"swarm\",\"event\":{\"swarmId\":\"" + swarmId + "\"}}");
                assertThat(cli.status()).as("POST /event on the compatibility port " + compat).isEqualTo(202);
                assertThat(Ingest.awaitSeq(client, seqs(cli).get(0)).path("data").path("swarmId").asString()).isEqualTo(swarmId);
                assertThat(Http.get(compat, "/actuator/health").status()).isEqualTo(404);

                assertThat(Http.get(port, "/actuator/health").json().path("components").path("swarmcast").path("details")
                        .path("newestSeq").asLong()).isGreaterThanOrEqualTo(seq + 1);

                Http.Response prometheus = Http.get(port, "/actuator/prometheus");
                assertThat(prometheus.status()).isEqualTo(200);
                List<String> meters = Arrays.stream(prometheus.body().split("\n")).filter(l -> l.startsWith("swarmcast_")).toList();
                assertThat(meters).anyMatch(l -> l.startsWith("swarmcast_clients_connected"))
                        .anyMatch(l -> l.startsWith("swarmcast_events_published_total") && l.contains("type=\"agent:status\""))
                        .anyMatch(l -> l.startsWith("swarmcast_frames_delivered_total"))
                        .anyMatch(l -> l.startsWith("swarmcast_ingest_latency_seconds"));

                Http.Response info = Http.get(port, "/actuator/info");
                assertThat(info.status()).isEqualTo(200);
                assertThat(info.json().path("app").path("name").asString()).isEqualTo("Swarmcast");
                assertThat(info.json().path("build").path("artifact").asString()).isEqualTo("swarmcast");

                app.stop();
                assertThat(client.awaitClose()).as("clients are told the server is going").isEqualTo(1001);
                assertThat(client.closeReason()).isEqualTo("Server shutting down");
            }
            assertThat(app.process.isAlive()).isFalse();
            assertThat(app.log()).contains("Tomcat started on ports " + port);
            assertRefused(port);
            assertRefused(compat);
        }
    }

    @Test
    void portFromTheEnvironmentAndCompatibilityPortDisabled() throws Exception {
        int port = freePortWithFreeNext();
        try (Launched app = Launched.start("env-port", Map.of("SWARMCAST_PORT", Integer.toString(port)),
                "--swarmcast.compat-enabled=false")) {
            app.awaitReady(port);

            String taskId = uniqueId("jar-task");
            Http.Response response = Http.post(port, "/event",
                    "{\"channel\":\"tasks\",\"type\":\"task:created\",\"event\":{\"id\":\"" + taskId + "\"}}");
            assertThat(response.status()).as(response.body()).isEqualTo(202);
            // Enabled, the compatibility listener would be on port + 1.
            assertRefused(port + 1);

            app.stop();
            assertThat(app.process.isAlive()).isFalse();
        }
    }

    private static void assertRefused(int port) {
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("localhost", port), 2000);
            }
        }).as("nothing listens on %d", port).isInstanceOf(ConnectException.class);
    }

    private static int freePort() throws IOException {
        return freePorts(1)[0];
    }

    /** Distinct free ports: the sockets are held open together, so no port is handed out twice. */
    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0));
            }
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    /** A free port whose successor is free too, so a listener on port + 1 would have been able to start. */
    private static int freePortWithFreeNext() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = freePort();
            if (port < 65535) {
                try (ServerSocket next = new ServerSocket(port + 1)) {
                    return port;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IllegalStateException("no two adjacent free ports found");
    }

    /** The jar running as a child process, its output in a file under target/. */
    private static final class Launched implements AutoCloseable {

        private final Process process;
        private final Path logFile;

        private Launched(Process process, Path logFile) {
            this.process = process;
            this.logFile = logFile;
        }

        static Launched start(String name, Map<String, String> env, String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", JAR.toAbsolutePath().toString()));
            command.addAll(List.of(args));
            Path log = LOGS.resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            // Only what the test sets: a SWARMCAST_* or SERVER_PORT of the machine running the build must not leak in.
            builder.environment().keySet().removeIf(key -> key.startsWith("SWARMCAST_") || key.startsWith("SERVER_")
                    || key.startsWith("SPRING_") || key.startsWith("MANAGEMENT_"));
            builder.environment().putAll(env);
            return new Launched(builder.start(), log);
        }

        void awaitReady(int port) {
            try {
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                        .failFast("the jar exited", () -> !process.isAlive())
                        .until(() -> {
                            Http.Response readiness = Http.get(port, "/actuator/health/readiness");
                            return readiness.status() == 200 && "UP".equals(readiness.json().path("status").asString());
                        });
            } catch (ConditionTimeoutException | org.awaitility.core.TerminalFailureException e) {
                throw new AssertionError("not ready on port " + port + "; output:\n" + log(), e);
            }
        }

        /** Asks the process to stop (SIGTERM to its PID) and waits for it to exit. */
        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("pid " + process.pid() + " did not stop within 60 s; output:\n" + log());
            }
        }

        String log() {
            try {
                return Files.readString(logFile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(no output: " + e + ")";
            }
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(30, TimeUnit.SECONDS);
                }
            }
        }
    }
}
