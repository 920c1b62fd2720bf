package io.swarmcast.server;

import io.swarmcast.support.Rest;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event server is a lifecycle bean: stopped, it closes its clients with 1001; started again, it takes
 * clients again. (Spring 7's test context cache stops and restarts the beans of a context each time tests
 * switch between contexts, so every other test depends on this too.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EventServerRestartIT {

    @LocalServerPort
    int port;

    @Autowired
    EventServer server;

    @Test
    void aStoppedServerTakesClientsAgainOnceStarted() {
        try (TestClient before = TestClient.connectWelcomed(port)) {
            server.stop();
            assertThat(before.awaitClose()).isEqualTo(1001);
        } finally {
            server.start();
        }

        try (TestClient after = TestClient.connectWelcomed(port)) {
            after.subscribe("agents");
            String id = Rest.spawnAgent(port, Rest.unique("restart"), "After Restart", "coder");
            assertThat(after.awaitFrame(frame -> id.equals(frame.path("agentId").asString())).path("status").asString())
                    .isEqualTo("active");
        }
    }
}
