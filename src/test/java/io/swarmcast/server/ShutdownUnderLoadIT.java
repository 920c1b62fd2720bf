package io.swarmcast.server;

import io.swarmcast.support.FreePorts;
import io.swarmcast.support.Http;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shutdown without loss, as operators see it: the packaged jar in a process of its own takes events from a
 * producer as fast as it can post them, a dashboard reads, and the process gets SIGTERM in the middle of it.
 * Every event acknowledged with 202, before or after the signal, must reach the reading client before its 1001
 * close; after the signal, writes are refused (503 {@code shutting_down}, or the connection is refused once the
 * port closes), never acknowledged and then lost.
 */
class ShutdownUnderLoadIT {

    private static final Path JAR = Path.of("target", "swarmcast.jar");
    private static final Path LOG = Path.of("target", "shutdown-under-load-it.log");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void jarExists() {
        assertThat(JAR).as("run with ./mvnw verify, which packages the jar before integration tests").isRegularFile();
    }

    @Test
    void everyAcknowledgedEventReachesTheReaderAcrossSigterm() throws Exception {
        int port = FreePorts.one();
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", JAR.toAbsolutePath().toString(),
                "--port=" + port, "--swarmcast.compat-enabled=false", "--swarmcast.metrics-enabled=false",
                "--swarmcast.limits.shutdown-flush-timeout=20s")
                .redirectErrorStream(true).redirectOutput(LOG.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .failFast("the jar exited", () -> !process.isAlive())
                    .until(() -> "UP".equals(Http.get(port, "/actuator/health/readiness").json().path("status").asString()));

            try (TestClient reader = TestClient.connectWelcomed(port)) {
                reader.subscribe("messages");

                ConcurrentLinkedQueue<Long> acknowledged = new ConcurrentLinkedQueue<>();
                AtomicInteger acknowledgedAfterSignal = new AtomicInteger();
                AtomicInteger shuttingDown = new AtomicInteger();
                AtomicInteger connectionRefused = new AtomicInteger();
                AtomicBoolean signalled = new AtomicBoolean();
                CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
                    for (int batch = 0; process.isAlive() || connectionRefused.get() == 0; batch++) {
                        HttpResponse<String> answer;
                        try {
                            answer = post(port, batch(batch));
                        } catch (IOException e) {
                            connectionRefused.incrementAndGet();
                            if (!process.isAlive()) {
                                return;
                            }
                            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                            continue;
                        }
                        boolean afterSignal = signalled.get();
                        if (answer.statusCode() == 202) {
                            JsonNode seqs = TestClient.JSON.readTree(answer.body()).path("seqs");
                            seqs.forEach(seq -> acknowledged.add(seq.asLong()));
                            if (afterSignal) {
                                acknowledgedAfterSignal.addAndGet(seqs.size());
                            }
                        } else {
                            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
                            assertThat(answer.headers().firstValue("Retry-After")).isPresent();
                            String code = TestClient.JSON.readTree(answer.body()).path("code").asString();
                            assertThat(code).isIn("shutting_down", "overloaded");
                            if ("shutting_down".equals(code)) {
                                shuttingDown.incrementAndGet();
                            }
                        }
                    }
                });

                await().atMost(Duration.ofSeconds(60)).failFast(producer::isDone).until(() -> acknowledged.size() >= 2_000);
                signalled.set(true);
                process.destroy(); // SIGTERM
                assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("the process stopped; output in " + LOG).isTrue();
                producer.get(60, TimeUnit.SECONDS);

                assertThat(reader.awaitClose()).as("the reader is told the server is going").isEqualTo(1001);
                assertThat(reader.closeReason()).isEqualTo("Server shutting down");
                List<Long> received = reader.events().stream().map(event -> event.path("seq").asLong()).toList();
                assertThat(received).as("a gapless, ordered stream").isSorted().doesNotHaveDuplicates();
                Set<Long> receivedSet = new HashSet<>(received);
                List<Long> lost = acknowledged.stream().filter(seq -> !receivedSet.contains(seq)).sorted().toList();
                assertThat(lost.size()).as("events acknowledged with 202 (%d of them, %d after the signal) but never delivered;"
                        + " the first: %s", acknowledged.size(), acknowledgedAfterSignal.get(),
                        lost.subList(0, Math.min(5, lost.size()))).isZero();
                assertThat(shuttingDown.get() + connectionRefused.get())
                        .as("writes after the signal were refused, not taken").isPositive();
            }
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static String batch(int n) {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 20; i++) {
            String id = "shutdown-" + n + "-" + i;
            body.append(i == 0 ? "" : ",").append("{\"type\":\"message:sent\",\"messageId\":\"").append(id)
                    .append("\",\"source\":\"producer\",\"target\":\"reader\",\"messageType\":\"task\",\"payload\":\"")
                    .append(id).append("\"}");
        }
        return body.append(']').toString();
    }

    private static HttpResponse<String> post(int port, String body) throws IOException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/events"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
