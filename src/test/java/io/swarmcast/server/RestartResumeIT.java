package io.swarmcast.server;

import io.swarmcast.support.FreePorts;
import io.swarmcast.SwarmcastApplication;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

import static io.swarmcast.support.ProtocolFixtures.agent;
import static io.swarmcast.support.ProtocolFixtures.awaitSeq;
import static io.swarmcast.support.ProtocolFixtures.indexOf;
import static io.swarmcast.support.ProtocolFixtures.mixed;
import static io.swarmcast.support.ProtocolFixtures.publish;
import static io.swarmcast.support.ProtocolFixtures.seqs;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real restart: the application runs twice on the same port. The in-memory log starts again from seq 1
 * under a new epoch, so a client resuming with the old epoch must get {@code recovered:false} and a
 * {@code history_gap}, never the new log's events that happen to carry the seqs it asked for.
 */
class RestartResumeIT {

    @Test
    void resumeWithTheEpochOfTheLogBeforeARestartGetsAHistoryGap() throws IOException {
        int port = FreePorts.one();
        String oldEpoch;
        long lastSeen;
        ConfigurableApplicationContext app = start(port);
        try (TestClient client = TestClient.connectWelcomed(port)) {
            oldEpoch = client.awaitType("welcome").path("epoch").asString();
            assertThat(client.awaitType("welcome").path("seq").asLong()).as("welcome.seq is 0 when the log holds nothing").isZero();
            client.subscribe("agents", "tasks", "messages", "memory");
            List<Long> seqs = publish(port, mixed("before", 0), mixed("before", 1), mixed("before", 2), mixed("before", 3));
            lastSeen = seqs.get(3);
            awaitSeq(client, lastSeen);

            app.close();
            assertThat(client.awaitClose()).as("shutdown closes clients with 1001").isEqualTo(1001);
            assertThat(client.closeReason()).isEqualTo("Server shutting down");
        } finally {
            app.close();
        }

        app = start(port);
        try (TestClient client = TestClient.connectWelcomed(port)) {
            List<Long> fresh = publish(port, mixed("after", 0), mixed("after", 1), mixed("after", 2), mixed("after", 3),
                    mixed("after", 4), mixed("after", 5));
            assertThat(fresh.get(0)).as("the new log starts again from 1").isEqualTo(1L);
            assertThat(fresh.get(fresh.size() - 1)).isGreaterThan(lastSeen);
            JsonNode welcome = client.awaitType("welcome");
            String newEpoch = welcome.path("epoch").asString();
            assertThat(newEpoch).isNotBlank().isNotEqualTo(oldEpoch);

            client.sendJson(Map.of("type", "subscribe", "channels", List.of("agents", "tasks", "messages", "memory"),
                    "sinceSeq", lastSeen, "epoch", oldEpoch));
            JsonNode subscribed = client.awaitType("subscribed");
            JsonNode gap = client.awaitType("error");
            long marker = publish(port, agent("after-marker", "idle")).get(0);
            awaitSeq(client, marker);

            assertThat(subscribed.path("recovered").asBoolean()).isFalse();
            assertThat(gap.path("code").asString()).isEqualTo("history_gap");
            assertThat(gap.path("epoch").asString()).isEqualTo(newEpoch);
            assertThat(gap.path("fromSeq").asLong()).isEqualTo(1L);
            List<JsonNode> frames = client.frames();
            assertThat(indexOf(frames, f -> f.equals(gap))).isEqualTo(indexOf(frames, f -> f.equals(subscribed)) + 1);
            assertThat(seqs(client.events())).as("nothing of the new log replayed under the old epoch").containsExactly(marker);

            client.sendJson(Map.of("type", "subscribe", "channel", "topology", "sinceSeq", 0, "epoch", newEpoch));
            JsonNode current = client.awaitType("subscribed", 2);
            assertThat(current.path("recovered").asBoolean()).as("the new epoch resumes").isTrue();
        } finally {
            app.close();
        }
    }

    /**
     * A lifecycle stop and start (what {@code ConfigurableApplicationContext.stop()/start()} and Spring's test
     * context pausing do) keeps the event log, so the server must take clients again under the same epoch and
     * resume them across the pause.
     */
    @Test
    void afterALifecycleStopAndStartTheServerTakesClientsAgainAndResumesAcrossThePause() throws IOException {
        int port = FreePorts.one();
        try (ConfigurableApplicationContext app = start(port)) {
            String epoch;
            long lastSeen;
            try (TestClient client = TestClient.connectWelcomed(port)) {
                epoch = client.awaitType("welcome").path("epoch").asString();
                client.subscribe("agents");
                lastSeen = publish(port, agent("paused-a", "busy")).get(0);
                awaitSeq(client, lastSeen);

                app.stop();
                assertThat(client.awaitClose()).isEqualTo(1001);
            }
            app.start();
            long missed = publish(port, agent("paused-b", "idle")).get(0);

            try (TestClient client = TestClient.connectWelcomed(port)) {
                assertThat(client.awaitType("welcome").path("epoch").asString()).isEqualTo(epoch);
                client.sendJson(Map.of("type", "subscribe", "channel", "agents", "sinceSeq", lastSeen, "epoch", epoch));
                long live = publish(port, agent("paused-c", "busy")).get(0);
                awaitSeq(client, live);

                assertThat(client.awaitType("subscribed").path("recovered").asBoolean()).isTrue();
                assertThat(seqs(client.events())).containsExactly(missed, live);
            }
        }
    }

    private static ConfigurableApplicationContext start(int port) {
        return new SpringApplicationBuilder(SwarmcastApplication.class).run("--server.port=" + port,
                "--swarmcast.compat-enabled=false", "--swarmcast.server-id=restart-it");
    }
}
