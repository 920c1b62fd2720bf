package io.swarmcast.server;

import io.swarmcast.SwarmcastProperties;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The defaults sized for a dashboard server: 10,000 WebSocket connections (not the 100 that one idle client
 * could fill), Tomcat's own connection limit above it, so that Swarmcast's limit is the one that refuses, and
 * the connection settings' defaults. Here with defaults except the per-address share, raised so that one test
 * address can go past the old limit of 100.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "swarmcast.connections.max-per-address=200",
        "swarmcast.connections.attempt-burst-per-address=200",
        "swarmcast.connections.attempts-per-second-per-address=200"})
class DefaultConnectionLimitsIT {

    private static final int PAST_THE_OLD_LIMIT = 120;

    @LocalServerPort
    int port;

    @Autowired
    EventServer server;

    @Autowired
    SwarmcastProperties properties;

    @Autowired
    WebServerApplicationContext context;

    @Test
    void defaultsInCodeAreSizedForADashboardServer() {
        SwarmcastProperties defaults = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("swarmcast", Bindable.of(SwarmcastProperties.class));
        assertThat(defaults.maxConnections()).isEqualTo(10_000);
        assertThat(defaults.connections().maxPerAddress()).isEqualTo(100);
        assertThat(defaults.connections().attemptsPerSecondPerAddress()).isEqualTo(20);
        assertThat(defaults.connections().attemptBurstPerAddress()).isEqualTo(40);
        assertThat(defaults.connections().unsubscribedTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.connections().requestHeaderTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.connections().socketSendBuffer().toKilobytes()).isEqualTo(64);
        assertThat(properties.maxConnections()).as("application.yml agrees with the code").isEqualTo(10_000);
    }

    @Test
    void tomcatAdmitsMoreConnectionsThanSwarmcastAndTimesRequestsOutWithinTheHeaderDeadline() {
        var connector = ((TomcatWebServer) context.getWebServer()).getTomcat().getConnector();
        assertThat(connector.getProperty("maxConnections"))
                .isEqualTo(properties.maxConnections() + TomcatConnectionLimits.HTTP_HEADROOM);
        assertThat(connector.getProperty("connectionTimeout")).isEqualTo(10_000);
        assertThat(String.valueOf(connector.getProperty("socket.txBufSize"))).isEqualTo("65536");
    }

    @Test
    void moreClientsThanTheOldDefaultOf100AreAllWelcomed() {
        List<TestClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < PAST_THE_OLD_LIMIT; i++) {
                TestClient client = TestClient.connectWelcomed(port);
                clients.add(client);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> server.getConnectedClients() == PAST_THE_OLD_LIMIT);
            assertThat(clients).noneMatch(TestClient::isClosed);
        } finally {
            clients.forEach(TestClient::close);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> server.getConnectedClients() == 0);
    }
}
