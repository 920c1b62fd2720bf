package io.swarmcast.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.swarmcast.event.AgentStatus;
import io.swarmcast.event.AgentStatusEvent;
import io.swarmcast.support.NoClientLeft;
import io.swarmcast.support.Meters;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.swarmcast.server.SendBoundsServerTest.REPLAY_MAX_LIMIT;
import static io.swarmcast.server.SendBoundsServerTest.REPLY_BUFFER_LIMIT;
import static io.swarmcast.server.SendBoundsSupport.awaitEvents;
import static io.swarmcast.server.SendBoundsSupport.publish;
import static io.swarmcast.server.SendBoundsSupport.seqsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A resume's catch-up is bounded in events ({@code limits.replay-max-limit}) but a client that reads is never
 * closed for its size in bytes: one answer alone is admitted whatever the reply bound. A gap longer than the
 * limit is answered like a trimmed history: recovered false, history_gap, the snapshot.
 */
@SendBoundsServerTest
@ExtendWith(NoClientLeft.class)
class LargeCatchUpIT {

    @LocalServerPort
    int port;

    @Autowired
    EventServer server;

    @Autowired
    MeterRegistry meters;


    @Test
    void aReadingClientResumesACatchUpLargerThanItsReplyBoundAndIsNotClosed() {
        double slowBefore = Meters.closed(meters, "slow_consumer");
        String epoch;
        List<Long> before;
        try (TestClient first = TestClient.connectWelcomed(port)) {
            epoch = first.awaitType("welcome").path("epoch").asString();
            first.subscribe("messages");
            before = publish(server, 10, 100);
            awaitEvents(first, before.size());
            first.abort();
        }

        // 4,000 missed events of about 700 bytes: a catch-up near 3 MB, about three times the reply bound.
        int missedCount = REPLAY_MAX_LIMIT - 1_000;
        List<Long> missed = publish(server, missedCount, 500);
        try (TestClient resumed = TestClient.connectWelcomed(port)) {
            resumed.sendJson(Map.of("type", "subscribe", "channel", "messages", "sinceSeq", before.get(before.size() - 1),
                    "epoch", epoch, "snapshot", false));
            assertThat(resumed.awaitType("subscribed").path("recovered").asBoolean()).isTrue();
            List<Long> expected = new ArrayList<>(missed);
            expected.addAll(publish(server, 10, 100));
            awaitEvents(resumed, expected.size());

            assertThat(seqsOf(resumed)).as("the whole catch-up, then live, in order").isEqualTo(expected);
            long catchUpBytes = resumed.events().stream().limit(missedCount).mapToLong(e -> e.toString().length()).sum();
            assertThat(catchUpBytes).as("the test means what it says").isGreaterThan(2 * REPLY_BUFFER_LIMIT);
            assertThat(resumed.isOpen()).isTrue();
            assertThat(resumed.framesOfType("error")).isEmpty();
            assertThat(Meters.closed(meters, "slow_consumer")).isEqualTo(slowBefore);
        }
    }

    @Test
    void aResumeWhoseGapExceedsTheReplayLimitGetsAHistoryGapAndTheSnapshot() {
        String epoch;
        long lastSeen;
        try (TestClient first = TestClient.connectWelcomed(port)) {
            epoch = first.awaitType("welcome").path("epoch").asString();
            first.subscribe("agents");
            lastSeen = server.broadcast(agent("catch-up-agent-0"));
            awaitEvents(first, 1);
            first.abort();
        }

        // More missed events than one resume catches up, all still in the history.
        List<Long> missed = new ArrayList<>();
        for (int i = 0; i < REPLAY_MAX_LIMIT + 500; i++) {
            missed.add(server.broadcast(agent("catch-up-agent-" + (i % 7))));
        }
        assertThat(server.newestSeq() - server.historySize()).as("the history still holds them").isLessThan(lastSeen);

        try (TestClient resumed = TestClient.connectWelcomed(port)) {
            resumed.sendJson(Map.of("type", "subscribe", "channel", "agents", "sinceSeq", lastSeen, "epoch", epoch));
            JsonNode subscribed = resumed.awaitType("subscribed");
            JsonNode gap = resumed.awaitType("error");
            long marker = server.broadcast(agent("catch-up-marker"));
            await().atMost(Duration.ofSeconds(30)).until(() -> resumed.events().stream()
                    .anyMatch(e -> e.path("seq").asLong() == marker));

            assertThat(subscribed.path("recovered").asBoolean()).isFalse();
            assertThat(gap.path("code").asString()).isEqualTo("history_gap");
            assertThat(gap.path("epoch").asString()).isEqualTo(epoch);
            List<JsonNode> snapshot = resumed.frames().stream().filter(f -> f.path("snapshot").asBoolean()).toList();
            assertThat(snapshot).extracting(f -> f.path("agentId").asString()).contains("catch-up-agent-0", "catch-up-agent-6");
            assertThat(seqsOf(resumed)).as("no partial catch-up, only the live event").containsExactly(marker);
        }
    }

    private static AgentStatusEvent agent(String id) {
        return new AgentStatusEvent(id, id, "coder", AgentStatus.BUSY, null, null, null, System.currentTimeMillis());
    }
}
