package io.swarmcast.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One client's send queue against a fake container endpoint: one send in flight at a time, order kept
 * whether sends complete inline or later, no recursion on inline completion, and a slow consumer reported
 * once when live frames pile up past the bound.
 */
class OutboundQueueTest {

    private final List<Long> overflows = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final AtomicInteger framesSent = new AtomicInteger();
    private ExecutorService executor;

    @AfterEach
    void stopExecutor() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private OutboundQueue queue(FakeAsyncRemote remote, long liveByteLimit) {
        return new OutboundQueue(remote, liveByteLimit, overflows::add, failures::add, framesSent::incrementAndGet,
                Runnable::run);
    }

    private static List<String> frames(String prefix, int count) {
        List<String> frames = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            frames.add(prefix + i);
        }
        return frames;
    }

    @Test
    void inlineCompletionSendsEachFrameAtOnceInOrder() {
        FakeAsyncRemote remote = new FakeAsyncRemote(FakeAsyncRemote.Mode.INLINE);
        OutboundQueue queue = queue(remote, 1 << 20);
        for (String frame : frames("f", 5)) {
            assertThat(queue.offer(Outbound.live(frame))).isTrue();
            assertThat(queue.isIdle()).as("sent before offer returned").isTrue();
        }
        assertThat(remote.sent()).containsExactlyElementsOf(frames("f", 5));
        assertThat(framesSent).hasValue(5);
        assertThat(queue.queuedLiveBytes()).isZero();
        assertThat(queue.inFlightNanos(System.nanoTime())).isZero();
    }

    @Test
    void longQueueDrainedByInlineCompletionsDoesNotRecurse() {
        FakeAsyncRemote remote = new FakeAsyncRemote(FakeAsyncRemote.Mode.DEFERRED);
        OutboundQueue queue = queue(remote, Long.MAX_VALUE);
        queue.offer(Outbound.live("first"));
        List<String> rest = frames("r", 20_000);
        for (String frame : rest) {
            queue.offer(Outbound.live(frame));
        }
        assertThat(remote.sent()).containsExactly("first");

        // From here every send finishes inside sendText: the loop that completes "first" sends all the rest.
        remote.mode(FakeAsyncRemote.Mode.INLINE);
        remote.measureStack();
        int depthAtStart = Thread.currentThread().getStackTrace().length;
        remote.completeNext();

        assertThat(remote.sent()).hasSize(20_001);
        assertThat(remote.sent().subList(1, 20_001)).containsExactlyElementsOf(rest);
        assertThat(remote.maxStackDepth() - depthAtStart).as("stack grows by a constant, not per frame").isLessThan(50);
        assertThat(framesSent).hasValue(20_001);
        assertThat(queue.isIdle()).isTrue();
        assertThat(queue.queuedLiveBytes()).isZero();
        assertThat(remote.overlaps()).isZero();
    }

    @Test
    void asyncCompletionSendsTheNextFrameFromTheCompletion() {
        FakeAsyncRemote remote = new FakeAsyncRemote(FakeAsyncRemote.Mode.DEFERRED);
        OutboundQueue queue = queue(remote, 1 << 20);
        queue.offer(Outbound.live("a"));
        queue.offer(Outbound.reply("b"));
        queue.offer(Outbound.live("c"));

        assertThat(remote.sent()).as("one send in flight at a time").containsExactly("a");
        assertThat(queue.isIdle()).isFalse();
        assertThat(queue.inFlightNanos(System.nanoTime() + 1)).isPositive();
        assertThat(queue.queuedLiveBytes()).as("only what waits behind the send in flight counts")
                .isEqualTo(Outbound.live("c").weight());

        remote.completeNext();
        assertThat(remote.sent()).containsExactly("a", "b");
        assertThat(queue.queuedLiveBytes()).isEqualTo(Outbound.live("c").weight());
        remote.completeNext();
        assertThat(remote.sent()).containsExactly("a", "b", "c");
        assertThat(queue.queuedLiveBytes()).isZero();
        assertThat(queue.isIdle()).isFalse();
        remote.completeNext();

        assertThat(queue.isIdle()).isTrue();
        assertThat(queue.inFlightNanos(System.nanoTime())).isZero();
        assertThat(queue.queuedLiveBytes()).isZero();
        assertThat(framesSent).hasValue(3);
        assertThat(remote.overlaps()).isZero();

        // Idle again: the next offer starts a send straight away.
        queue.offer(Outbound.live("d"));
        assertThat(remote.sent()).containsExactly("a", "b", "c", "d");
        assertThat(remote.pendingCount()).isEqualTo(1);
    }

    @Test
    void pingsGoOutInQueueOrderBetweenFrames() {
        FakeAsyncRemote remote = new FakeAsyncRemote(FakeAsyncRemote.Mode.DEFERRED);
        OutboundQueue queue = queue(remote, 1 << 20);
        queue.offer(Outbound.live("a"));
        queue.offer(Outbound.PING);
        queue.offer(Outbound.live("b"));
        assertThat(remote.sent()).containsExactly("a");
        remote.completeNext();
        assertThat(remote.sent()).containsExactly("a", FakeAsyncRemote.PING, "b");
        remote.completeNext();
        assertThat(remote.overlaps()).as("a ping never interleaves with a frame being written").isZero();
        assertThat(framesSent).as("pings are not frames").hasValue(2);
    }

    @Test
    void liveFramesPastTheBoundReportASlowConsumerOnce() {
        FakeAsyncRemote remote = new FakeAsyncRemote(FakeAsyncRemote.Mode.DEFERRED);
        Outbound frame = Outbound.live("x".repeat(40)); // weighs 40
        OutboundQueue queue = queue(remote, 100);

        assertThat(queue.offer(frame)).isTrue(); // in flight: no longer waiting, so not counted
        assertThat(queue.offer(frame)).isTrue(); // 40 waiting
        assertThat(queue.offer(frame)).isTrue(); // 80
        assertThat(overflows).isEmpty();
        assertThat(queue.offer(frame)).isFalse(); // 120 > 100

        assertThat(overflows).containsExactly(120L);
        assertThat(queue.isClosed()).isTrue();
        assertThat(queue.offer(frame)).isFalse();
        assertThat(queue.offer(Outbound.reply("r"))).isFalse();
        assertThat(overflows).hasSize(1);
        assertThat(failures).isEmpty();
        // The frame that did not fit, and those queued behind the one in flight, never go out.
        remote.completeNext();
        assertThat(remote.sent()).hasSize(1);
    }

    @Test
    void frameLargerThanTheBoundGoesToAClientWithNothingQueued() {
        FakeAsyncRemote remote = new FakeAsyncRemote(FakeAsyncRemote.Mode.DEFERRED);
        Outbound large = Outbound.live("L".repeat(200)); // weighs 200, twice the bound
        OutboundQueue queue = queue(remote, 100);

        assertThat(queue.offer(large)).isTrue();
        assertThat(overflows).isEmpty();
        remote.completeNext();
        assertThat(queue.offer(large)).as("again, once the first is written").isTrue();
        assertThat(queue.offer(large)).as("alone behind the one in flight").isTrue();
        assertThat(overflows).isEmpty();
        assertThat(remote.sent()).hasSize(2);

        // But a backlog behind it is a slow consumer.
        assertThat(queue.offer(Outbound.live("small"))).isFalse();
        assertThat(overflows).containsExactly(205L);
    }

    @Test
    void boundCountsBytesStillQueuedNotBytesEverSent() {
        FakeAsyncRemote remote = new FakeAsyncRemote(FakeAsyncRemote.Mode.DEFERRED);
        Outbound frame = Outbound.live("x".repeat(40)); // weighs 40
        OutboundQueue queue = queue(remote, 100);
        for (int i = 0; i < 1_000; i++) {
            assertThat(queue.offer(frame)).as("offer %d", i).isTrue();
            remote.completeNext();
        }
        assertThat(overflows).isEmpty();
        assertThat(remote.sent()).hasSize(1_000);
    }

    @Test
    void repliesDoNotCountAgainstTheBound() {
        FakeAsyncRemote remote = new FakeAsyncRemote(FakeAsyncRemote.Mode.DEFERRED);
        OutboundQueue queue = queue(remote, 100);
        for (int i = 0; i < 50; i++) {
            assertThat(queue.offer(Outbound.reply("snapshot frame " + i))).isTrue();
        }
        assertThat(overflows).isEmpty();
        assertThat(queue.queuedLiveBytes()).isZero();
        for (int i = 0; i < 50; i++) {
            remote.completeNext();
        }
        assertThat(remote.sent()).containsExactlyElementsOf(frames("snapshot frame ", 50));
    }

    @Test
    void failedSendClosesTheQueueAndReportsTheCause() {
        FakeAsyncRemote remote = new FakeAsyncRemote(FakeAsyncRemote.Mode.DEFERRED);
        OutboundQueue queue = queue(remote, 1 << 20);
        queue.offer(Outbound.live("a"));
        queue.offer(Outbound.live("b"));
        IOException cause = new IOException("connection reset");
        remote.failNext(cause);

        assertThat(failures).containsExactly(cause);
        assertThat(queue.isClosed()).isTrue();
        assertThat(queue.isIdle()).isTrue();
        assertThat(queue.offer(Outbound.live("c"))).isFalse();
        assertThat(remote.sent()).containsExactly("a");
        assertThat(framesSent).hasValue(0);
    }

    @Test
    void sendThatThrowsClosesTheQueue() {
        FakeAsyncRemote remote = new FakeAsyncRemote(FakeAsyncRemote.Mode.INLINE);
        OutboundQueue queue = queue(remote, 1 << 20);
        IllegalStateException closedSession = new IllegalStateException("session closed");
        remote.throwOnSend(closedSession);

        assertThat(queue.offer(Outbound.live("a"))).isTrue();
        assertThat(failures).containsExactly(closedSession);
        assertThat(queue.isClosed()).isTrue();
        assertThat(queue.inFlightNanos(System.nanoTime())).isZero();
    }

    @Test
    void closeDropsWhatIsQueued() {
        FakeAsyncRemote remote = new FakeAsyncRemote(FakeAsyncRemote.Mode.DEFERRED);
        OutboundQueue queue = queue(remote, 1 << 20);
        queue.offer(Outbound.live("a"));
        queue.offer(Outbound.live("b"));
        queue.close();
        remote.completeNext();
        assertThat(remote.sent()).containsExactly("a");
        assertThat(queue.offer(Outbound.live("c"))).isFalse();
        assertThat(overflows).isEmpty();
        assertThat(failures).isEmpty();
    }

    @Test
    void concurrentProducersWithAsyncCompletionLoseAndReorderNothing() {
        executor = Executors.newFixedThreadPool(3);
        FakeAsyncRemote remote = new FakeAsyncRemote(FakeAsyncRemote.Mode.EXECUTOR);
        remote.executor(executor);
        OutboundQueue queue = queue(remote, Long.MAX_VALUE);
        int producers = 4;
        int perProducer = 5_000;
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            String prefix = "p" + p + "-";
            Thread thread = new Thread(() -> {
                for (String frame : frames(prefix, perProducer)) {
                    queue.offer(frame.endsWith("0") ? Outbound.reply(frame) : Outbound.live(frame));
                }
            });
            threads.add(thread);
            thread.start();
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> framesSent.get() == producers * perProducer);
        await().atMost(Duration.ofSeconds(5)).until(queue::isIdle);

        List<String> sent = remote.sent();
        assertThat(sent).hasSize(producers * perProducer).doesNotHaveDuplicates();
        for (int p = 0; p < producers; p++) {
            String prefix = "p" + p + "-";
            assertThat(sent.stream().filter(s -> s.startsWith(prefix)).toList())
                    .as("producer %d's frames in its order", p)
                    .containsExactlyElementsOf(frames(prefix, perProducer));
        }
        assertThat(remote.overlaps()).as("never two sends in flight").isZero();
        assertThat(queue.queuedLiveBytes()).isZero();
        assertThat(failures).isEmpty();
        assertThat(overflows).isEmpty();
        threads.forEach(thread -> assertThat(thread.isAlive()).isFalse());
    }
}
