package io.swarmcast.server;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.swarmcast.SwarmcastProperties;
import io.swarmcast.admission.DeliveryBacklog;
import io.swarmcast.event.FrameCodec;
import io.swarmcast.event.MessageSentEvent;
import io.swarmcast.log.StoredEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The delivery thread's order of work: subscription tasks past a round's share wait and let the events behind them
 * go first (a reconnect storm), but never pass each other, and a task queued in order is passed by nothing.
 */
class FanOutTest {

    private final FanOut fanOut = new FanOut(new SessionRegistry(10), new FrameCodec(JsonMapper.builder().build(), 4096),
            new SwarmProjections(new SwarmcastProperties.Tasks(Duration.ofMinutes(5), 100), System::currentTimeMillis),
            new ServerMetrics(new SimpleMeterRegistry(), () -> 0), 0, new DeliveryBacklog());

    /** What each task saw, in the order the tasks ran: its name and the seq delivered when it ran. */
    private final List<String> ran = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void close() {
        fanOut.close();
    }

    private static StoredEvent event(long seq) {
        return new StoredEvent(seq, MessageSentEvent.builder().messageId("m" + seq).source("a").target("b")
                .timestamp(seq).build());
    }

    private void task(String name) {
        fanOut.enqueueTask(seq -> ran.add(name + "@" + seq));
    }

    @Test
    void tasksPastARoundsShareLetEventsPassButNotEachOtherNorAnInOrderTask() {
        int tasks = FanOut.TASKS_PER_ROUND + 4;
        for (int i = 1; i <= tasks; i++) {
            task("t" + i);
        }
        for (long seq = 1; seq <= 5; seq++) {
            fanOut.appended(event(seq));
        }
        fanOut.enqueueInOrder(seq -> ran.add("gap@" + seq));
        fanOut.appended(event(6));
        task("last");

        fanOut.start();
        await().atMost(Duration.ofSeconds(5)).until(fanOut::isIdle);

        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= tasks; i++) {
            // A round's share runs where queued; the rest after the events behind them, at seq 5.
            expected.add("t" + i + "@" + (i <= FanOut.TASKS_PER_ROUND ? 0 : 5));
        }
        // Nothing queued after the in-order task went before it; every task queued before it ran first.
        expected.add("gap@5");
        expected.add("last@6");
        assertThat(ran).containsExactlyElementsOf(expected);
    }

    @Test
    void aFewTasksRunExactlyWhereTheyWereQueued() {
        fanOut.appended(event(1));
        task("a");
        fanOut.appended(event(2));
        task("b");

        fanOut.start();
        await().atMost(Duration.ofSeconds(5)).until(fanOut::isIdle);

        assertThat(ran).containsExactly("a@1", "b@2");
    }
}
