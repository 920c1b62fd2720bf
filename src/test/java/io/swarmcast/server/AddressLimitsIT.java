package io.swarmcast.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.swarmcast.support.NoClientLeft;
import io.swarmcast.support.Http;
import io.swarmcast.support.Meters;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import static io.swarmcast.server.AdmissionServerTest.MAX_PER_ADDRESS;
import static io.swarmcast.server.AdmissionServerTest.UNSUBSCRIBED_TIMEOUT_MILLIS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Fair connection slots ({@link AdmissionServerTest}: 3 connections per address, 5 handshakes a second with a
 * burst of 8, 2 s without a subscription): one address cannot take every slot, cannot hammer the handshake, and
 * an idle socket that subscribes to nothing does not keep its slot.
 */
@AdmissionServerTest
@ExtendWith(NoClientLeft.class)
class AddressLimitsIT {

    private static final String PING = "{\"type\":\"ping\"}";

    @LocalServerPort
    int port;

    @Autowired
    EventServer server;

    @Autowired
    MeterRegistry meters;

    @Autowired
    AddressAdmission admission;

    @BeforeEach
    void theHandshakeBucketRefilled() {
        // The attempts of earlier tests come back at 5 a second, up to the burst of 8.
        awaitFullBucket();
    }

    @Test
    void anAddressHoldingItsShareIsRefusedWith429AtTheHandshakeUntilOneOfItsConnectionsCloses() {
        List<TestClient> held = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_PER_ADDRESS; i++) {
                TestClient client = TestClient.connectWelcomed(port);
                client.subscribe("agents");
                held.add(client);
            }

            Throwable refused = catchThrowable(() -> TestClient.connect(port));
            assertThat(refused).isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(WebSocketHandshakeException.class);
            var response = ((WebSocketHandshakeException) refused.getCause()).getResponse();
            assertThat(response.statusCode()).isEqualTo(429);
            assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(String.valueOf(response.body())).contains("\"code\":\"too_many_connections\"");
            assertThat(server.getConnectedClients()).isEqualTo(MAX_PER_ADDRESS);
            for (TestClient client : held) {
                assertPingAnswered(client);
            }

            held.remove(0).close();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.getConnectedClients() == MAX_PER_ADDRESS - 1);
            TestClient replacement = TestClient.connectWelcomed(port);
            held.add(replacement);
            assertPingAnswered(replacement);
        } finally {
            held.forEach(TestClient::close);
        }
    }

    @Test
    void handshakesFasterThanTheAttemptRateAreRefusedWith429AndAdmittedAgainOnceItRefills() {
        try (TestClient bystander = TestClient.connectWelcomed(port)) {
            bystander.subscribe("agents");
            // A GET of /ws goes through the handshake's admission (then fails as a handshake): an attempt that
            // never holds a connection, so only the rate is at play.
            List<Integer> statuses = new ArrayList<>();
            String refusedBody = null;
            for (int i = 0; i < 30; i++) {
                Http.Response response = Http.get(port, "/ws");
                statuses.add(response.status());
                if (response.status() == 429) {
                    refusedBody = response.body();
                }
            }
            assertThat(statuses).contains(429);
            assertThat(statuses.stream().filter(s -> s != 429).count())
                    .as("at most the burst of 8 plus what refills while they run").isLessThan(20);
            assertThat(refusedBody).contains("\"code\":\"rate_limited\"");

            awaitFullBucket();
            assertThat(Http.get(port, "/ws").status()).isNotEqualTo(429);
            try (TestClient later = TestClient.connectWelcomed(port)) {
                assertPingAnswered(later);
            }
            assertPingAnswered(bystander);
        }
    }

    @Test
    void aConnectionSubscribedToNothingIsClosedWith4000WhileSubscribedOnesStay() {
        double before = Meters.closed(meters, "unsubscribed");
        long start = System.nanoTime();
        try (TestClient idle = TestClient.connectWelcomed(port);
             TestClient subscribed = TestClient.connectWelcomed(port);
             TestClient unsubscribedLater = TestClient.connectWelcomed(port)) {
            subscribed.subscribe("agents");
            unsubscribedLater.subscribe("tasks");

            // Pinging is a sign of life, not a subscription: it does not keep the slot.
            idle.send(PING);
            assertThat(idle.awaitClose()).isEqualTo(4000);
            assertThat(idle.closeReason()).isEqualTo("no subscription");
            assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis())
                    .isGreaterThanOrEqualTo(UNSUBSCRIBED_TIMEOUT_MILLIS - 100);

            // Unsubscribing from everything starts the clock again.
            unsubscribedLater.sendJson(Map.of("type", "unsubscribe", "channel", "tasks"));
            unsubscribedLater.awaitType("unsubscribed");
            assertThat(unsubscribedLater.awaitClose()).isEqualTo(4000);

            assertThat(subscribed.isClosed()).isFalse();
            assertPingAnswered(subscribed);
            await().atMost(Duration.ofSeconds(10)).until(() -> Meters.closed(meters, "unsubscribed") == before + 2);
        }
    }

    /** The test clients' address is loopback; whichever form it takes, every tracked address must be full. */
    private void awaitFullBucket() {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> admission.attemptsAvailable("127.0.0.1") >= 8 && admission.attemptsAvailable("::1") >= 8
                        && admission.attemptsAvailable("0:0:0:0:0:0:0:1") >= 8);
    }

    private static void assertPingAnswered(TestClient client) {
        int pongs = client.framesOfType("pong").size();
        client.send(PING);
        client.awaitType("pong", pongs + 1);
    }
}
