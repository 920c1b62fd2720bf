package io.swarmcast.server;

import io.swarmcast.support.Http;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SmokeIT {

    @LocalServerPort
    int port;

    @Test
    void subscribedClientReceivesPostedEvent() {
        try (TestClient client = TestClient.connectWelcomed(port)) {
            client.subscribe("agents");
            Http.Response response = Http.post(port, "/api/events", "{\"type\":\"agent:status\",\"agentId\":\"a1\",\"status\":\"busy\"}");
            assertThat(response.status()).isEqualTo(202);
            JsonNode event = client.awaitType("agent:status");
            assertThat(event.path("agentId").asString()).isEqualTo("a1");
            System.out.println(client.frames());
        }
    }
}
