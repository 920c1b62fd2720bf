package io.swarmcast.server;

import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.swarmcast.support.ProtocolFixtures.agent;
import static io.swarmcast.support.ProtocolFixtures.awaitSeq;
import static io.swarmcast.support.ProtocolFixtures.indexOf;
import static io.swarmcast.support.ProtocolFixtures.publish;
import static io.swarmcast.support.ProtocolFixtures.seqs;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resume against a history that no longer reaches back (docs/protocol.md section 4): never a partial replay, but
 * {@code recovered:false} and a {@code history_gap} error. Shares {@link ReplayIT}'s small-history context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"swarmcast.history-size=" + ReplayIT.HISTORY, "swarmcast.server-id=" + ReplayIT.SERVER_ID})
class HistoryGapIT {

    @LocalServerPort
    int port;

    @Test
    void resumeFromBeforeTheOldestHeldEventGivesAHistoryGapAndNoPartialReplay() {
        List<Long> seqs = overrun("gap");
        long newest = seqs.get(seqs.size() - 1);
        long oldestHeld = newest - ReplayIT.HISTORY + 1;

        try (TestClient client = TestClient.connectWelcomed(port)) {
            String epoch = client.awaitType("welcome").path("epoch").asString();
            client.sendJson(Map.of("type", "subscribe", "channel", "agents", "sinceSeq", oldestHeld - 2, "epoch", epoch));
            JsonNode subscribed = client.awaitType("subscribed");
            JsonNode gap = client.awaitType("error");
            long marker = publish(port, agent("gap-marker", "idle")).get(0);
            awaitSeq(client, marker);

            assertThat(subscribed.path("recovered").isBoolean()).isTrue();
            assertThat(subscribed.path("recovered").asBoolean()).isFalse();
            assertThat(subscribed.path("channel").asString()).isEqualTo("agents");
            assertThat(gap.path("code").asString()).isEqualTo("history_gap");
            assertThat(gap.path("fromSeq").asLong()).as("the oldest seq held").isEqualTo(oldestHeld);
            assertThat(gap.path("epoch").asString()).isEqualTo(epoch);
            assertThat(gap.path("message").asString()).isNotBlank();
            List<JsonNode> frames = client.frames();
            assertThat(indexOf(frames, f -> f.equals(gap)))
                    .as("history_gap follows subscribed").isEqualTo(indexOf(frames, f -> f.equals(subscribed)) + 1);
            assertThat(seqs(client.events())).as("nothing replayed, only the live event after it").containsExactly(marker);
            assertThat(client.isOpen()).as("an error frame does not close the connection").isTrue();
        }
    }

    @Test
    void resumeFromJustBeforeTheOldestHeldEventRecoversAllOfIt() {
        List<Long> seqs = overrun("edge");
        long newest = seqs.get(seqs.size() - 1);
        long oldestHeld = newest - ReplayIT.HISTORY + 1;

        try (TestClient client = TestClient.connectWelcomed(port)) {
            String epoch = client.awaitType("welcome").path("epoch").asString();
            client.sendJson(Map.of("type", "subscribe", "channels", List.of("agents"), "sinceSeq", oldestHeld - 1, "epoch", epoch));
            JsonNode subscribed = client.awaitType("subscribed");
            long marker = publish(port, agent("edge-marker", "idle")).get(0);
            awaitSeq(client, marker);

            assertThat(subscribed.path("recovered").asBoolean()).isTrue();
            assertThat(subscribed.has("channel")).isFalse();
            assertThat(client.framesOfType("error")).isEmpty();
            List<Long> expected = new ArrayList<>(seqs.subList(seqs.size() - ReplayIT.HISTORY, seqs.size()));
            expected.add(marker);
            assertThat(seqs(client.events())).containsExactlyElementsOf(expected);
        }
    }

    /** Publishes ten more agent events than the history holds, and returns their seqs. */
    private List<Long> overrun(String prefix) {
        List<ObjectNode> events = new ArrayList<>();
        for (int i = 0; i < ReplayIT.HISTORY + 10; i++) {
            events.add(agent(prefix + "-" + i, "busy"));
        }
        return publish(port, events);
    }
}
