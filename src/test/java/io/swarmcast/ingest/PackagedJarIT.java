package io.swarmcast.ingest;

import io.swarmcast.support.FreePorts;
import io.swarmcast.support.Http;
import io.swarmcast.support.JarProcess;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.swarmcast.ingest.Ingest.seqs;
import static io.swarmcast.ingest.Ingest.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The packaged {@code target/swarmcast.jar} as operators run it: a separate process started with
 * {@code java -jar}, configured by the command line and the environment, probed through actuator, fed an
 * event, and stopped by its own PID. Failsafe runs this after {@code package}, so the jar is the one the
 * build produced.
 */
class PackagedJarIT {

    private static final Path JAR = JarProcess.JAR;
    private static final Path LOGS = Path.of("target", "packaged-jar-it");

    @BeforeAll
    static void jarExists() throws IOException {
        assertThat(JAR).as("run with ./mvnw verify, which packages the jar before integration tests").isRegularFile();
        Files.createDirectories(LOGS);
    }

    @Test
    void startsFromTheJarWithPortOptionsAndStopsOnItsPid() throws Exception {
        int[] ports = FreePorts.distinct(3);
        int port = ports[0];
        int compat = ports[1];
        int envPort = ports[2];
        // --port on the command line wins over SWARMCAST_PORT in the environment.
        try (JarProcess app = JarProcess.start(LOGS, "cli-options", Map.of("SWARMCAST_PORT", Integer.toString(envPort)),
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
            assertThat(app.process().isAlive()).isFalse();
            assertThat(app.log()).contains("Tomcat started on ports " + port);
            assertRefused(port);
            assertRefused(compat);
        }
    }

    @Test
    void portFromTheEnvironmentAndCompatibilityPortDisabled() throws Exception {
        int port = FreePorts.withFreeSuccessor();
        try (JarProcess app = JarProcess.start(LOGS, "env-port", Map.of("SWARMCAST_PORT", Integer.toString(port)),
                "--swarmcast.compat-enabled=false")) {
            app.awaitReady(port);

            String taskId = uniqueId("jar-task");
            Http.Response response = Http.post(port, "/event",
                    "{\"channel\":\"tasks\",\"type\":\"task:created\",\"event\":{\"id\":\"" + taskId + "\"}}");
            assertThat(response.status()).as(response.body()).isEqualTo(202);
            // Enabled, the compatibility listener would be on port + 1.
            assertRefused(port + 1);

            app.stop();
            assertThat(app.process().isAlive()).isFalse();
        }
    }

    private static void assertRefused(int port) {
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("localhost", port), 2000);
            }
        }).as("nothing listens on %d", port).isInstanceOf(ConnectException.class);
    }
}
