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
 * One client's send queue against a fake socket: one write in flight at a time, everything that waited for
 * it in the next write (up to the caps), order kept whether writes complete inline or later, no recursion on
 * inline completion, and a slow consumer reported once when live frames pile up past the bound.
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

    /** A queue whose answers are practically unbounded, alone under no global bound: the live bound on its own. */
    private OutboundQueue queue(FakeFrameSocket socket, long liveByteLimit) {
        return queue(socket, liveByteLimit, Long.MAX_VALUE, SendBudget.unlimited());
    }

    private OutboundQueue queue(FakeFrameSocket socket, long liveByteLimit, long answerByteLimit, SendBudget budget) {
        return new OutboundQueue(socket, liveByteLimit, answerByteLimit, budget, overflows::add, failures::add,
                framesSent::addAndGet);
    }

    /** Answer frames of the given text, each {@code text.length() + 2} bytes on the wire. */
    private static List<WireFrame> answer(String text, int frames) {
        List<WireFrame> answer = new ArrayList<>(frames);
        for (int i = 0; i < frames; i++) {
            answer.add(WireFrame.text(text));
        }
        return answer;
    }

    private static List<String> frames(String prefix, int count) {
        List<String> frames = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            frames.add(prefix + i);
        }
        return frames;
    }

    @Test
    void inlineCompletionWritesEachFrameAtOnceInOrder() {
        FakeFrameSocket socket = new FakeFrameSocket(FakeFrameSocket.Mode.INLINE);
        OutboundQueue queue = queue(socket, 1 << 20);
        for (String frame : frames("f", 5)) {
            assertThat(queue.send(Outbound.live(frame))).isTrue();
            assertThat(queue.isIdle()).as("written before send returned").isTrue();
        }
        assertThat(socket.sent()).containsExactlyElementsOf(frames("f", 5));
        assertThat(socket.writeSizes()).containsExactly(1, 1, 1, 1, 1);
        assertThat(framesSent).hasValue(5);
        assertThat(queue.queuedLiveBytes()).isZero();
        assertThat(queue.inFlightNanos(System.nanoTime())).isZero();
    }

    @Test
    void offeredFramesWaitForFlushAndGoOutInOneWrite() {
        FakeFrameSocket socket = new FakeFrameSocket(FakeFrameSocket.Mode.INLINE);
        OutboundQueue queue = queue(socket, 1 << 20);
        for (String frame : frames("f", 10)) {
            assertThat(queue.offer(Outbound.live(frame))).isTrue();
        }
        assertThat(socket.sent()).as("offer only queues").isEmpty();
        assertThat(queue.isIdle()).isFalse();

        queue.flush();

        assertThat(socket.sent()).containsExactlyElementsOf(frames("f", 10));
        assertThat(socket.writeSizes()).containsExactly(10);
        assertThat(framesSent).hasValue(10);
        assertThat(queue.isIdle()).isTrue();
        queue.flush();
        assertThat(socket.writeSizes()).as("nothing queued, nothing written").containsExactly(10);
    }

    @Test
    void oneWriteCarriesAtMostTheCapInFrames() {
        FakeFrameSocket socket = new FakeFrameSocket(FakeFrameSocket.Mode.INLINE);
        OutboundQueue queue = queue(socket, Long.MAX_VALUE);
        int count = 2 * OutboundQueue.MAX_FRAMES_PER_WRITE + 3;
        for (String frame : frames("f", count)) {
            queue.offer(Outbound.live(frame));
        }
        queue.flush();
        assertThat(socket.writeSizes()).containsExactly(OutboundQueue.MAX_FRAMES_PER_WRITE,
                OutboundQueue.MAX_FRAMES_PER_WRITE, 3);
        assertThat(socket.sent()).containsExactlyElementsOf(frames("f", count));
    }

    @Test
    void oneWriteCarriesAtMostTheCapInBytes() {
        FakeFrameSocket socket = new FakeFrameSocket(FakeFrameSocket.Mode.INLINE);
        OutboundQueue queue = queue(socket, Long.MAX_VALUE);
        String big = "b".repeat(OutboundQueue.MAX_BYTES_PER_WRITE / 2);
        for (int i = 0; i < 5; i++) {
            queue.offer(Outbound.live(big));
        }
        queue.flush();
        // Each frame is a little over half the cap: the write that reaches the cap ends there.
        assertThat(socket.writeSizes()).containsExactly(2, 2, 1);
    }

    @Test
    void longQueueDrainedByInlineCompletionsDoesNotRecurse() {
        FakeFrameSocket socket = new FakeFrameSocket(FakeFrameSocket.Mode.DEFERRED);
        OutboundQueue queue = queue(socket, Long.MAX_VALUE);
        queue.send(Outbound.live("first"));
        List<String> rest = frames("r", 20_000);
        for (String frame : rest) {
            queue.send(Outbound.live(frame));
        }
        assertThat(socket.sent()).containsExactly("first");

        // From here every write finishes inside write(): the loop that completes "first" writes all the rest.
        socket.mode(FakeFrameSocket.Mode.INLINE);
        socket.measureStack();
        int depthAtStart = Thread.currentThread().getStackTrace().length;
        socket.completeNext();

        assertThat(socket.sent()).hasSize(20_001);
        assertThat(socket.sent().subList(1, 20_001)).containsExactlyElementsOf(rest);
        assertThat(socket.writeSizes()).hasSizeGreaterThan(70);
        assertThat(socket.maxStackDepth() - depthAtStart).as("stack grows by a constant, not per write").isLessThan(50);
        assertThat(framesSent).hasValue(20_001);
        assertThat(queue.isIdle()).isTrue();
        assertThat(queue.queuedLiveBytes()).isZero();
        assertThat(socket.overlaps()).isZero();
    }

    @Test
    void asyncCompletionWritesWhatWaitedFromTheCompletion() {
        FakeFrameSocket socket = new FakeFrameSocket(FakeFrameSocket.Mode.DEFERRED);
        OutboundQueue queue = queue(socket, 1 << 20);
        queue.send(Outbound.live("a"));
        queue.send(Outbound.reply("b"));
        queue.send(Outbound.live("c"));

        assertThat(socket.sent()).as("one write in flight at a time").containsExactly("a");
        assertThat(queue.isIdle()).isFalse();
        assertThat(queue.inFlightNanos(System.nanoTime() + 1)).isPositive();
        assertThat(queue.queuedLiveBytes()).as("only what waits behind the write in flight counts")
                .isEqualTo(Outbound.live("c").weight());

        socket.completeNext();
        assertThat(socket.sent()).containsExactly("a", "b", "c");
        assertThat(socket.writeSizes()).containsExactly(1, 2);
        assertThat(queue.queuedLiveBytes()).isZero();
        assertThat(queue.isIdle()).isFalse();
        socket.completeNext();

        assertThat(queue.isIdle()).isTrue();
        assertThat(queue.inFlightNanos(System.nanoTime())).isZero();
        assertThat(framesSent).hasValue(3);
        assertThat(socket.overlaps()).isZero();

        // Idle again: the next send starts a write straight away.
        queue.send(Outbound.live("d"));
        assertThat(socket.sent()).containsExactly("a", "b", "c", "d");
        assertThat(socket.pendingCount()).isEqualTo(1);
    }

    @Test
    void pingsGoOutInQueueOrderBetweenFrames() {
        FakeFrameSocket socket = new FakeFrameSocket(FakeFrameSocket.Mode.DEFERRED);
        OutboundQueue queue = queue(socket, 1 << 20);
        queue.send(Outbound.live("a"));
        queue.send(Outbound.PING);
        queue.send(Outbound.live("b"));
        assertThat(socket.sent()).containsExactly("a");
        socket.completeNext();
        assertThat(socket.sent()).containsExactly("a", FakeFrameSocket.PING, "b");
        socket.completeNext();
        assertThat(socket.overlaps()).as("a ping never interleaves with a frame being written").isZero();
        assertThat(framesSent).as("pings are not frames").hasValue(2);
    }

    @Test
    void liveFramesPastTheBoundReportASlowConsumerOnce() {
        FakeFrameSocket socket = new FakeFrameSocket(FakeFrameSocket.Mode.DEFERRED);
        Outbound frame = Outbound.live("x".repeat(40)); // 42 bytes on the wire: a 2-byte header
        assertThat(frame.weight()).isEqualTo(42);
        OutboundQueue queue = queue(socket, 100);

        assertThat(queue.send(frame)).isTrue(); // in flight: no longer waiting, so not counted
        assertThat(queue.send(frame)).isTrue(); // 42 waiting
        assertThat(queue.send(frame)).isTrue(); // 84
        assertThat(overflows).isEmpty();
        assertThat(queue.send(frame)).isFalse(); // 126 > 100

        assertThat(overflows).containsExactly(126L);
        assertThat(queue.isClosed()).isTrue();
        assertThat(queue.send(frame)).isFalse();
        assertThat(queue.send(Outbound.reply("r"))).isFalse();
        assertThat(overflows).hasSize(1);
        assertThat(failures).isEmpty();
        // The frame that did not fit, and those queued behind the one in flight, never go out.
        socket.completeNext();
        assertThat(socket.sent()).hasSize(1);
    }

    @Test
    void frameLargerThanTheBoundGoesToAClientWithNothingQueued() {
        FakeFrameSocket socket = new FakeFrameSocket(FakeFrameSocket.Mode.DEFERRED);
        Outbound large = Outbound.live("L".repeat(200)); // 204 bytes on the wire, twice the bound
        assertThat(large.weight()).isEqualTo(204);
        OutboundQueue queue = queue(socket, 100);

        assertThat(queue.send(large)).isTrue();
        assertThat(overflows).isEmpty();
        socket.completeNext();
        assertThat(queue.send(large)).as("again, once the first is written").isTrue();
        assertThat(queue.send(large)).as("alone behind the one in flight").isTrue();
        assertThat(overflows).isEmpty();
        assertThat(socket.sent()).hasSize(2);

        // But a backlog behind it is a slow consumer.
        assertThat(queue.send(Outbound.live("small"))).isFalse();
        assertThat(overflows).containsExactly(204L + 7);
    }

    @Test
    void boundCountsBytesStillQueuedNotBytesEverSent() {
        FakeFrameSocket socket = new FakeFrameSocket(FakeFrameSocket.Mode.DEFERRED);
        Outbound frame = Outbound.live("x".repeat(40));
        OutboundQueue queue = queue(socket, 100);
        for (int i = 0; i < 1_000; i++) {
            assertThat(queue.send(frame)).as("send %d", i).isTrue();
            socket.completeNext();
        }
        assertThat(overflows).isEmpty();
        assertThat(socket.sent()).hasSize(1_000);
    }

    @Test
    void answersDoNotCountAgainstTheLiveBound() {
        FakeFrameSocket socket = new FakeFrameSocket(FakeFrameSocket.Mode.DEFERRED);
        OutboundQueue queue = queue(socket, 100);
        for (int i = 0; i < 50; i++) {
            assertThat(queue.send(Outbound.reply("snapshot frame " + i))).isTrue();
        }
        assertThat(overflows).isEmpty();
        assertThat(queue.queuedLiveBytes()).isZero();
        assertThat(queue.queuedAnswerBytes()).as("49 waiting behind the one in flight").isPositive();
        socket.completeNext();
        socket.completeNext();
        assertThat(socket.sent()).containsExactlyElementsOf(frames("snapshot frame ", 50));
        assertThat(socket.writeSizes()).containsExactly(1, 49);
    }

    @Test
    void failedWriteClosesTheQueueAndReportsTheCause() {
        FakeFrameSocket socket = new FakeFrameSocket(FakeFrameSocket.Mode.DEFERRED);
        OutboundQueue queue = queue(socket, 1 << 20);
        queue.send(Outbound.live("a"));
        queue.send(Outbound.live("b"));
        IOException cause = new IOException("connection reset");
        socket.failNext(cause);

        assertThat(failures).containsExactly(cause);
        assertThat(queue.isClosed()).isTrue();
        assertThat(queue.isIdle()).isTrue();
        assertThat(queue.send(Outbound.live("c"))).isFalse();
        assertThat(socket.sent()).containsExactly("a");
        assertThat(framesSent).hasValue(0);
    }

    @Test
    void writeThatThrowsClosesTheQueue() {
        FakeFrameSocket socket = new FakeFrameSocket(FakeFrameSocket.Mode.INLINE);
        OutboundQueue queue = queue(socket, 1 << 20);
        IllegalStateException closedSocket = new IllegalStateException("socket closed");
        socket.throwOnWrite(closedSocket);

        assertThat(queue.send(Outbound.live("a"))).isTrue();
        assertThat(failures).containsExactly(closedSocket);
        assertThat(queue.isClosed()).isTrue();
        assertThat(queue.inFlightNanos(System.nanoTime())).isZero();
    }

    @Test
    void closeDropsWhatIsQueued() {
        FakeFrameSocket socket = new FakeFrameSocket(FakeFrameSocket.Mode.DEFERRED);
        OutboundQueue queue = queue(socket, 1 << 20);
        queue.send(Outbound.live("a"));
        queue.send(Outbound.live("b"));
        queue.close();
        socket.completeNext();
        assertThat(socket.sent()).containsExactly("a");
        assertThat(queue.send(Outbound.live("c"))).isFalse();
        assertThat(overflows).isEmpty();
        assertThat(failures).isEmpty();
    }

    @Test
    void concurrentProducersWithAsyncCompletionLoseAndReorderNothing() {
        executor = Executors.newFixedThreadPool(3);
        FakeFrameSocket socket = new FakeFrameSocket(FakeFrameSocket.Mode.EXECUTOR);
        socket.executor(executor);
        OutboundQueue queue = queue(socket, Long.MAX_VALUE);
        int producers = 4;
        int perProducer = 5_000;
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            String prefix = "p" + p + "-";
            Thread thread = new Thread(() -> {
                for (String frame : frames(prefix, perProducer)) {
                    queue.send(frame.endsWith("0") ? Outbound.reply(frame) : Outbound.live(frame));
                }
            });
            threads.add(thread);
            thread.start();
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> framesSent.get() == producers * perProducer);
        await().atMost(Duration.ofSeconds(5)).until(queue::isIdle);

        List<String> sent = socket.sent();
        assertThat(sent).hasSize(producers * perProducer).doesNotHaveDuplicates();
        for (int p = 0; p < producers; p++) {
            String prefix = "p" + p + "-";
            assertThat(sent.stream().filter(s -> s.startsWith(prefix)).toList())
                    .as("producer %d's frames in its order", p)
                    .containsExactlyElementsOf(frames(prefix, perProducer));
        }
        assertThat(socket.overlaps()).as("never two writes in flight").isZero();
        assertThat(queue.queuedLiveBytes()).isZero();
        assertThat(failures).isEmpty();
        assertThat(overflows).isEmpty();
        threads.forEach(thread -> assertThat(thread.isAlive()).isFalse());
    }

    @Test
    void answersPastTheirOwnBoundReportASlowConsumer() {
        FakeFrameSocket socket = new FakeFrameSocket(FakeFrameSocket.Mode.DEFERRED);
        Outbound reply = Outbound.reply("r".repeat(40)); // 42 bytes on the wire
        OutboundQueue queue = queue(socket, 1 << 20, 100, SendBudget.unlimited());

        assertThat(queue.send(reply)).isTrue(); // in flight
        assertThat(queue.send(reply)).isTrue(); // 42 waiting
        assertThat(queue.send(reply)).isTrue(); // 84
        assertThat(queue.send(reply)).as("a client that asks and does not read").isFalse(); // 126 > 100

        assertThat(overflows).containsExactly(126L);
        assertThat(queue.isClosed()).isTrue();
        assertThat(queue.queuedBytes()).as("what waited was dropped").isZero();
        socket.completeNext();
        assertThat(socket.sent()).hasSize(1);
    }

    @Test
    void aLoneAnswerLargerThanTheBoundGoesWholeAndLiveFramesBehindItAreWeighedApart() {
        FakeFrameSocket socket = new FakeFrameSocket(FakeFrameSocket.Mode.DEFERRED);
        OutboundQueue queue = queue(socket, 100, 100, SendBudget.unlimited());
        queue.send(Outbound.live("first")); // in flight: the rest waits behind it

        // A catch-up of 10 frames of 60 bytes, six times the answer bound: admitted whole.
        assertThat(queue.offerAnswer(answer("c".repeat(58), 10))).isTrue();
        assertThat(queue.queuedAnswerBytes()).isEqualTo(600);
        // Live events behind it count against the live bound only.
        assertThat(queue.offer(Outbound.live("x".repeat(40)))).isTrue();
        assertThat(queue.offer(Outbound.live("x".repeat(40)))).isTrue();
        assertThat(queue.queuedLiveBytes()).isEqualTo(84);
        assertThat(overflows).isEmpty();

        // Another answer while that one still waits does not fit.
        assertThat(queue.offerAnswer(answer("pong", 1))).isFalse();
        assertThat(overflows).as("everything waiting, the refused answer included").containsExactly(600L + 84 + 6);
        assertThat(queue.queuedBytes()).isZero();
    }

    @Test
    void aClientThatReadsGetsOneLargeAnswerAfterAnother() {
        FakeFrameSocket socket = new FakeFrameSocket(FakeFrameSocket.Mode.DEFERRED);
        OutboundQueue queue = queue(socket, 100, 100, SendBudget.unlimited());
        for (int round = 0; round < 20; round++) {
            // Each answer is four times the bound; the client reads it all before asking again.
            assertThat(queue.offerAnswer(answer("a" + round + "-".repeat(96), 4))).as("answer %d", round).isTrue();
            queue.flush();
            while (socket.pendingCount() > 0) {
                socket.completeNext();
            }
            queue.send(Outbound.live("event " + round));
            socket.completeNext();
        }
        assertThat(overflows).isEmpty();
        assertThat(socket.sent()).hasSize(20 * 5);
        assertThat(queue.queuedBytes()).isZero();
    }

    @Test
    void anAnswerThatDoesNotFitIsDroppedWholeNotCut() {
        FakeFrameSocket socket = new FakeFrameSocket(FakeFrameSocket.Mode.DEFERRED);
        OutboundQueue queue = queue(socket, 1 << 20, 100, SendBudget.unlimited());
        queue.send(Outbound.reply("in flight"));
        assertThat(queue.offerAnswer(answer("w".repeat(58), 1))).isTrue(); // 60 waiting
        assertThat(queue.offerAnswer(answer("catch-up", 5))).isFalse(); // 60 + 50 > 100
        socket.completeNext();
        assertThat(socket.sent()).containsExactly("in flight");
        assertThat(socket.pendingCount()).as("nothing of either answer is written after the close").isZero();
    }

    @Test
    void pingsCountAgainstNoBound() {
        FakeFrameSocket socket = new FakeFrameSocket(FakeFrameSocket.Mode.DEFERRED);
        SendBudget budget = new SendBudget(10);
        OutboundQueue queue = queue(socket, 10, 10, budget);
        for (int i = 0; i < 100; i++) {
            assertThat(queue.send(Outbound.PING)).isTrue();
        }
        assertThat(queue.queuedBytes()).isZero();
        assertThat(budget.queuedBytes()).isZero();
        assertThat(overflows).isEmpty();
    }

    @Test
    void overTheGlobalBoundTheLargestQueueIsClosedAndTheOthersKeepTheirs() {
        SendBudget budget = new SendBudget(1_000);
        List<Long> smallOverflows = new CopyOnWriteArrayList<>();
        FakeFrameSocket bigSocket = new FakeFrameSocket(FakeFrameSocket.Mode.DEFERRED);
        FakeFrameSocket smallSocket = new FakeFrameSocket(FakeFrameSocket.Mode.DEFERRED);
        OutboundQueue big = queue(bigSocket, 1 << 20, 1 << 20, budget);
        OutboundQueue small = new OutboundQueue(smallSocket, 1 << 20, 1 << 20, budget, smallOverflows::add,
                failures::add, framesSent::addAndGet);
        big.send(Outbound.live("in flight"));
        small.send(Outbound.live("in flight"));

        for (int i = 0; i < 7; i++) {
            assertThat(big.send(Outbound.live("b".repeat(98)))).isTrue(); // 100 bytes each
        }
        for (int i = 0; i < 3; i++) {
            assertThat(small.send(Outbound.live("s".repeat(98)))).isTrue();
        }
        assertThat(budget.queuedBytes()).isEqualTo(1_000);
        assertThat(overflows).isEmpty();

        // The small client's next frame takes all clients over the bound: the big one goes, not the small one.
        assertThat(small.send(Outbound.live("s".repeat(98)))).isTrue();
        assertThat(overflows).containsExactly(700L);
        assertThat(big.isClosed()).isTrue();
        assertThat(smallOverflows).isEmpty();
        assertThat(small.isClosed()).isFalse();
        assertThat(budget.queuedBytes()).isEqualTo(400).isEqualTo(small.queuedBytes());

        // Writes starting give bytes back too: once the small client has read everything, nothing is counted.
        smallSocket.completeNext();
        smallSocket.completeNext();
        assertThat(budget.queuedBytes()).isZero();
        assertThat(smallSocket.sent()).hasSize(5);
    }

    @Test
    void theGlobalBoundClosesTheOffererWhenItIsTheLargest() {
        SendBudget budget = new SendBudget(300);
        FakeFrameSocket socket = new FakeFrameSocket(FakeFrameSocket.Mode.DEFERRED);
        OutboundQueue queue = queue(socket, 1 << 20, 1 << 20, budget);
        queue.send(Outbound.live("in flight"));
        for (int i = 0; i < 3; i++) {
            assertThat(queue.send(Outbound.reply("r".repeat(98)))).isTrue();
        }
        assertThat(queue.send(Outbound.reply("r".repeat(98)))).isFalse();
        assertThat(overflows).containsExactly(400L);
        assertThat(budget.queuedBytes()).isZero();
    }

    @Test
    void closingGivesEveryQueuedByteBackToTheGlobalCount() {
        SendBudget budget = new SendBudget(Long.MAX_VALUE);
        FakeFrameSocket socket = new FakeFrameSocket(FakeFrameSocket.Mode.DEFERRED);
        OutboundQueue queue = queue(socket, 1 << 20, 1 << 20, budget);
        queue.send(Outbound.live("in flight"));
        queue.offerAnswer(answer("catch-up", 10));
        queue.send(Outbound.live("live"));
        assertThat(budget.queuedBytes()).isEqualTo(10 * 10 + 6);
        queue.close();
        assertThat(budget.queuedBytes()).isZero();
        assertThat(queue.queuedBytes()).isZero();
        assertThat(queue.send(Outbound.live("late"))).isFalse();
        assertThat(budget.queuedBytes()).isZero();
    }

    @Test
    void concurrentOffersAndACloseLeaveTheGlobalCountExact() throws Exception {
        executor = Executors.newFixedThreadPool(2);
        for (int run = 0; run < 20; run++) {
            SendBudget budget = new SendBudget(Long.MAX_VALUE);
            FakeFrameSocket socket = new FakeFrameSocket(FakeFrameSocket.Mode.EXECUTOR);
            socket.executor(executor);
            OutboundQueue queue = queue(socket, Long.MAX_VALUE, Long.MAX_VALUE, budget);
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                int producer = p;
                Thread thread = new Thread(() -> {
                    for (int i = 0; i < 2_000 && !queue.isClosed(); i++) {
                        if (producer == 0) {
                            queue.offerAnswer(answer("answer " + i, 3));
                            queue.flush();
                        } else {
                            queue.send(Outbound.live("live " + i));
                        }
                    }
                });
                threads.add(thread);
                thread.start();
            }
            Thread.sleep(run % 5);
            queue.close();
            for (Thread thread : threads) {
                thread.join(10_000);
            }
            // A write's completion may still be taking a batch on the socket's executor (polled, not yet given
            // back): the count must reach zero once it has, not at the very instant the producers stop.
            int finalRun = run;
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(budget.queuedBytes()).as("run %d", finalRun).isZero();
                assertThat(queue.queuedBytes()).isZero();
            });
        }
    }
}
