package io.swarmcast.server;

import io.swarmcast.support.Http;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event server is a {@link org.springframework.context.SmartLifecycle}: stopped, it closes clients with
 * 1001 and takes no new ones; started again, it takes clients as before. Spring's test context cache does
 * exactly this to a cached context it pauses and reuses, and so can an operator's context stop/start.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EventServerRestartIT {

    @LocalServerPort
    int port;

    @Autowired
    EventServer server;

    @Test
    void takesClientsAgainAfterStopAndStart() {
        TestClient before = TestClient.connectWelcomed(port);
        try {
            server.stop();
            assertThat(server.isRunning()).isFalse();
            assertThat(before.awaitClose()).isEqualTo(1001);

            TestClient whileStopped = TestClient.connect(port);
            assertThat(whileStopped.awaitClose()).as("no clients while stopped").isEqualTo(1001);
        } finally {
            if (!server.isRunning()) {
                server.start();
            }
        }
        assertThat(server.isRunning()).isTrue();

        try (TestClient after = TestClient.connectWelcomed(port)) {
            after.subscribe("agents");
            Http.Response response = Http.post(port, "/api/events", "{\"type\":\"agent:status\",\"agentId\":\"after-restart\",\"status\":\"idle\"}");
            assertThat(response.status()).isEqualTo(202);
            assertThat(after.awaitType("agent:status").path("agentId").asString()).isEqualTo("after-restart");
        }
    }
}
