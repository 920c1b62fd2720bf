package io.swarmcast.ingest;

import io.swarmcast.support.Http;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import static io.swarmcast.ingest.Ingest.awaitSeq;
import static io.swarmcast.ingest.Ingest.seqs;
import static io.swarmcast.ingest.Ingest.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code swarmcast.compat-enabled=false}: no second listener at all, while {@code POST /event} still works on the main port. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "swarmcast.compat-enabled=false")
class CompatDisabledIT {

    @LocalServerPort
    int port;

    @Autowired
    CompatPort compatPort;

    @Autowired
    WebServerApplicationContext context;

    @Test
    void noCompatibilityConnectorIsStarted() {
        assertThat(((TomcatWebServer) context.getWebServer()).getTomcat().getService().findConnectors())
                .extracting(connector -> connector.getLocalPort())
                .containsExactly(port);
        assertThat(compatPort.localPort()).isEmpty();
    }

    @Test
    void eventStillWorksOnTheMainPort() {
        String id = uniqueId("no-compat");
        try (TestClient client = TestClient.connectWelcomed(port)) {
            client.subscribe("tasks");
            Http.Response response = Http.post(port, "/event",
                    "{\"channel\":\"tasks\",\"type\":\"task:created\",\"event\":{\"id\":\"" + id + "\",\"description\":\"d\"}}");
            assertThat(response.status()).isEqualTo(202);
            assertThat(awaitSeq(client, seqs(response).get(0)).path("taskId").asString()).isEqualTo(id);
        }
    }
}
