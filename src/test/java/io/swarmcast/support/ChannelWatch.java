package io.swarmcast.support;

import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Watches the live event frames one client receives on one channel, to prove that an operation raised
 * exactly one event there, or none: take a {@link #mark()} before the operation, then ask what came after it.
 * "Exactly one" and "none" hold for a quiet window ({@link #QUIET}), long against delivery on one machine.
 */
public final class ChannelWatch {

    /** How long no further event may arrive for "exactly one" or "none" to hold. */
    public static final Duration QUIET = Duration.ofMillis(700);

    private final TestClient client;
    private final String channel;

    public ChannelWatch(TestClient client, String channel) {
        this.client = client;
        this.channel = channel;
    }

    /** Live (non-snapshot) event frames of the channel, in arrival order. */
    public List<JsonNode> events() {
        return client.frames().stream()
                .filter(frame -> channel.equals(frame.path("channel").asString()))
                .filter(frame -> frame.has("type") && !frame.path("snapshot").asBoolean(false))
                .collect(Collectors.toList());
    }

    public int mark() {
        return events().size();
    }

    public List<JsonNode> since(int mark) {
        List<JsonNode> all = events();
        return all.subList(Math.min(mark, all.size()), all.size());
    }

    /** Waits for one event after the mark, proves no second one follows, and returns it. */
    public JsonNode exactlyOneSince(int mark) {
        return exactlySince(mark, 1).get(0);
    }

    /** Waits for {@code count} events after the mark and proves no more follow. */
    public List<JsonNode> exactlySince(int mark, int count) {
        await().atMost(Duration.ofSeconds(10)).until(() -> since(mark).size() >= count);
        await("exactly " + count + " " + channel + " event(s)").during(QUIET).atMost(QUIET.multipliedBy(3))
                .untilAsserted(() -> assertThat(since(mark)).hasSize(count));
        return since(mark);
    }

    /** Proves that nothing arrives on the channel after the mark for the quiet window. */
    public void noneSince(int mark) {
        await("no " + channel + " event").during(QUIET).atMost(QUIET.multipliedBy(3))
                .untilAsserted(() -> assertThat(since(mark)).isEmpty());
    }
}
