package io.swarmcast.server;

import io.swarmcast.event.MessageSentEvent;
import io.swarmcast.event.MessageType;
import io.swarmcast.support.TestClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/** What the send-bounds tests share: messages of a chosen size, and reading a client's seqs. */
final class SendBoundsSupport {

    private static final AtomicInteger NEXT = new AtomicInteger();

    private SendBoundsSupport() {
    }

    static MessageSentEvent message(int payloadChars) {
        int n = NEXT.incrementAndGet();
        StringBuilder text = new StringBuilder(payloadChars + 16);
        while (text.length() < payloadChars) {
            text.append('m').append(n).append('-');
        }
        String payload = text.substring(0, payloadChars);
        return new MessageSentEvent("bound-" + n, "agent-a", "agent-b", MessageType.BROADCAST,
                TestClient.JSON.valueToTree(payload), payloadChars, System.currentTimeMillis());
    }

    static List<Long> publish(EventServer server, int count, int payloadChars) {
        List<Long> seqs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            seqs.add(server.broadcast(message(payloadChars)));
        }
        return seqs;
    }

    static void awaitEvents(TestClient client, int count) {
        await().atMost(Duration.ofSeconds(60)).pollInSameThread().pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(2))
                .until(() -> client.events().size() >= count);
    }

    static List<Long> seqsOf(TestClient client) {
        List<Long> seqs = new ArrayList<>();
        client.events().forEach(event -> seqs.add(event.path("seq").asLong()));
        return seqs;
    }
}
