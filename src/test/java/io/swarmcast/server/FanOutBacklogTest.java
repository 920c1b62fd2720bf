package io.swarmcast.server;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.swarmcast.SwarmcastProperties;
import io.swarmcast.event.FrameCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Publishers wait while the delivery thread is more than {@link FanOut#MAX_BACKLOG} items behind, so a
 * producer faster than delivery cannot grow the queue without bound; they go on once it catches up, and
 * never wait longer than they are allowed to.
 */
class FanOutBacklogTest {

    private final FanOut fanOut = new FanOut(new SessionRegistry(10), new FrameCodec(JsonMapper.builder().build(), 4096),
            new StateProjection(new SwarmcastProperties.Tasks(Duration.ofMinutes(5), 100), System::currentTimeMillis),
            new ServerMetrics(new SimpleMeterRegistry(), () -> 0), 0);

    @AfterEach
    void stop() {
        fanOut.close();
    }

    private void queueTasks(int count) {
        for (int i = 0; i < count; i++) {
            fanOut.enqueueTask(deliveredSeq -> { });
        }
    }

    @Test
    void publisherWaitsWhileTheBacklogIsOverTheLimitAndGoesOnOnceDeliveryCatchesUp() {
        queueTasks(FanOut.MAX_BACKLOG + 10); // the delivery thread is not started yet: nothing is taken out
        assertThat(fanOut.backlog()).isEqualTo(FanOut.MAX_BACKLOG + 10);

        CompletableFuture<Void> publisher = CompletableFuture.runAsync(
                () -> fanOut.awaitBacklogBelowLimit(TimeUnit.SECONDS.toNanos(30)));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !publisher.isDone());

        fanOut.start();

        await().atMost(Duration.ofSeconds(10)).until(publisher::isDone);
        await().atMost(Duration.ofSeconds(10)).until(() -> fanOut.backlog() == 0 && fanOut.isIdle());
    }

    @Test
    void publisherUnderTheLimitDoesNotWait() {
        queueTasks(FanOut.MAX_BACKLOG);
        // Had it waited, it would wait the whole minute: nothing is delivered while the thread is not started.
        CompletableFuture<Void> publisher = CompletableFuture.runAsync(
                () -> fanOut.awaitBacklogBelowLimit(TimeUnit.MINUTES.toNanos(1)));
        await().atMost(Duration.ofSeconds(10)).until(publisher::isDone);
        assertThat(fanOut.backlog()).isEqualTo(FanOut.MAX_BACKLOG);
    }

    @Test
    void publisherWaitsNoLongerThanItMay() {
        queueTasks(FanOut.MAX_BACKLOG + 1);
        CompletableFuture<Void> publisher = CompletableFuture.runAsync(
                () -> fanOut.awaitBacklogBelowLimit(TimeUnit.MILLISECONDS.toNanos(200)));
        await().atMost(Duration.ofSeconds(5)).until(publisher::isDone);
        assertThat(fanOut.backlog()).as("nothing delivered: the wait ended on its deadline").isEqualTo(FanOut.MAX_BACKLOG + 1);
    }
}
