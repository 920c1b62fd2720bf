package io.swarmcast.server;

import io.swarmcast.SwarmcastApplication;
import io.swarmcast.event.MessageSentEvent;
import io.swarmcast.event.MessageType;
import io.swarmcast.support.Http;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shutdown (docs/protocol.md section 6): closing the application first refuses writes (readiness down, 503
 * {@code shutting_down}), then lets every frame already queued go out, then closes each client with 1001
 * "Server shutting down". The application runs in a context of its own,
 * started here, so that the test can close it.
 *
 * <p>One client stops reading before a burst of large events, so that when the close begins frames are
 * certainly still queued on the server (more than any socket buffers hold); it reads again only once the
 * shutdown is under way, and must still get every event before the close frame.
 */
class ShutdownIT {

    private static final int EVENTS = 300;
    private static final int PAYLOAD_CHARS = 20_000;

    @Test
    void queuedFramesAreFlushedThenEveryClientIsClosedWith1001() throws Exception {
        ConfigurableApplicationContext app = new SpringApplicationBuilder(SwarmcastApplication.class).run(
                "--server.port=0",
                "--swarmcast.compat-enabled=false",
                "--swarmcast.limits.max-value-size=64KB",
                // Room for the whole burst, and no send-time limit to cut the paused client off meanwhile.
                "--swarmcast.limits.send-buffer-limit=256MB",
                "--swarmcast.limits.send-time-limit=300s",
                "--swarmcast.limits.shutdown-flush-timeout=120s",
                // Nor a heartbeat to close it for not answering pings while it does not read.
                "--swarmcast.heartbeat-interval=300s");
        try {
            int port = port(app);
            EventServer server = app.getBean(EventServer.class);
            try (TestClient reading = TestClient.connectWelcomed(port);
                 TestClient paused = TestClient.connectWelcomed(port)) {
                reading.subscribe("messages");
                paused.subscribe("messages");
                paused.stopReading();

                List<MessageSentEvent> burst = new ArrayList<>();
                for (int i = 0; i < EVENTS; i++) {
                    burst.add(message(i));
                }
                List<Long> seqs = server.broadcastAll(burst);
                // The whole burst has reached both clients' queues (the delivery thread is done with it): what the
                // paused client cannot take is then queued or in flight, whichever socket path writes it.
                await().atMost(Duration.ofSeconds(60)).until(() -> reading.events().size() >= EVENTS);

                CompletableFuture<Void> closing = CompletableFuture.runAsync(app::close);
                await().atMost(Duration.ofSeconds(30)).until(() -> !server.isRunning());
                assertThat(server.connections().allIdle()).as("frames are still queued when the shutdown starts").isFalse();
                assertThat(closing).isNotDone();

                // Readiness went down first, and writes are refused before the flush, not taken and then lost.
                assertThat(Http.get(port, "/actuator/health/readiness").status()).isEqualTo(503);
                Http.Response refused = Http.post(port, "/api/events", "{\"type\":\"message:sent\",\"messageId\":\"late\","
                        + "\"source\":\"agent-a\",\"target\":\"agent-b\",\"messageType\":\"task\"}");
                assertThat(refused.status()).as(refused.body()).isEqualTo(503);
                assertThat(refused.json().path("code").asString()).isEqualTo("shutting_down");
                Http.Response command = Http.post(port, "/api/agents", "{\"name\":\"late\",\"type\":\"coder\"}");
                assertThat(command.status()).as(command.body()).isEqualTo(503);
                assertThat(command.json().path("code").asString()).isEqualTo("shutting_down");

                // While the server flushes, a newcomer is turned away rather than welcomed.
                try (TestClient late = TestClient.connect(port)) {
                    assertThat(late.awaitClose()).isEqualTo(1001);
                    assertThat(late.closeReason()).isEqualTo("Server shutting down");
                    assertThat(late.framesOfType("welcome")).isEmpty();
                }

                paused.resumeReading();
                closing.get(180, TimeUnit.SECONDS);

                for (TestClient client : List.of(reading, paused)) {
                    assertThat(client.awaitClose()).isEqualTo(1001);
                    assertThat(client.closeReason()).isEqualTo("Server shutting down");
                    // Frames are recorded in arrival order and the close comes after them: all came first.
                    List<Long> received = new ArrayList<>();
                    client.events().forEach(event -> received.add(event.path("seq").asLong()));
                    assertThat(received).as("every event queued before the close, in order").isEqualTo(seqs);
                    assertThat(client.events().get(EVENTS - 1).path("payload").asString()).hasSize(PAYLOAD_CHARS);
                }
                assertThat(server.getConnectedClients()).isZero();
            }
        } finally {
            app.close();
        }
    }

    /**
     * A lifecycle stop is not only the end: Spring stops and restarts contexts (the test framework pauses
     * cached contexts it is not using), so after {@code stop()} closes every client with 1001, {@code start()}
     * must take clients again.
     */
    @Test
    void stoppedServerClosesClientsWith1001AndWelcomesNewOnesOnceStartedAgain() {
        ConfigurableApplicationContext app = new SpringApplicationBuilder(SwarmcastApplication.class).run(
                "--server.port=0", "--swarmcast.compat-enabled=false");
        try {
            EventServer server = app.getBean(EventServer.class);
            try (TestClient before = TestClient.connectWelcomed(port(app))) {
                app.stop();
                assertThat(before.awaitClose()).isEqualTo(1001);
                assertThat(before.closeReason()).isEqualTo("Server shutting down");
                assertThat(server.isRunning()).isFalse();
            }

            app.start();
            assertThat(server.isRunning()).isTrue();
            try (TestClient after = TestClient.connectWelcomed(port(app))) {
                after.subscribe("messages");
                long seq = server.broadcast(message(1));
                assertThat(after.awaitType("message:sent").path("seq").asLong()).isEqualTo(seq);
                assertThat(after.isClosed()).isFalse();
            }
        } finally {
            app.close();
        }
    }

    private static int port(ConfigurableApplicationContext app) {
        return ((WebServerApplicationContext) app).getWebServer().getPort();
    }

    private static MessageSentEvent message(int n) {
        String payload = ("shutdown-" + n + "-").repeat(PAYLOAD_CHARS / 10 + 1).substring(0, PAYLOAD_CHARS);
        return new MessageSentEvent("m-" + n, "agent-a", "agent-b", MessageType.TASK,
                TestClient.JSON.valueToTree(payload), PAYLOAD_CHARS, System.currentTimeMillis());
    }
}
