package io.swarmcast.log;

import io.swarmcast.event.AgentStatus;
import io.swarmcast.event.AgentStatusEvent;
import io.swarmcast.event.Channel;
import io.swarmcast.event.DashboardEvent;
import io.swarmcast.event.MetricsUpdateEvent;
import io.swarmcast.event.TaskStatus;
import io.swarmcast.event.TaskUpdateEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The in-memory ring: seqs, overwriting the oldest, and reads that say honestly whether they reach back. */
class InMemoryEventLogTest {

    private static final Set<Channel> ALL = Channel.DURABLE;

    private static AgentStatusEvent agent(String id, long timestamp) {
        return new AgentStatusEvent(id, null, null, AgentStatus.IDLE, null, null, null, timestamp);
    }

    private static TaskUpdateEvent task(String id, long timestamp) {
        return new TaskUpdateEvent(id, TaskStatus.PENDING, null, null, null, null, null, null, null, null, null, timestamp);
    }

    /** Appends agent events a1..aN with timestamps 100, 200, ... one at a time. */
    private static void appendAgents(EventLog log, int from, int to) {
        for (int i = from; i <= to; i++) {
            log.append(List.of(agent("a" + i, i * 100L)));
        }
    }

    private static List<Long> seqs(History history) {
        return history.events().stream().map(StoredEvent::seq).toList();
    }

    @Test
    void emptyLogHoldsNothing() {
        InMemoryEventLog log = new InMemoryEventLog(5);
        assertThat(log.newestSeq()).isZero();
        assertThat(log.oldestSeq()).isEqualTo(1);
        assertThat(log.size()).isZero();
        History history = log.readAfter(0, Long.MAX_VALUE, ALL, 10);
        assertThat(history.events()).isEmpty();
        assertThat(history.complete()).isTrue();
        assertThat(log.readSince(0, ALL, 10).complete()).isTrue();
    }

    @Test
    void seqsStartAtOneAndAreConsecutiveAcrossAppends() {
        InMemoryEventLog log = new InMemoryEventLog(100);
        List<StoredEvent> first = log.append(List.of(agent("a", 1), task("t", 2), agent("b", 3)));
        List<StoredEvent> second = log.append(List.of(task("u", 4)));
        assertThat(first).extracting(StoredEvent::seq).containsExactly(1L, 2L, 3L);
        assertThat(first).extracting(s -> s.event().type()).containsExactly("agent:status", "task:update", "agent:status");
        assertThat(second).extracting(StoredEvent::seq).containsExactly(4L);
        assertThat(log.newestSeq()).isEqualTo(4);
        assertThat(log.oldestSeq()).isEqualTo(1);
        assertThat(log.size()).isEqualTo(4);
    }

    @Test
    void tailSeesEveryAppendInSeqOrder() {
        InMemoryEventLog log = new InMemoryEventLog(3);
        List<Long> seen = new ArrayList<>();
        log.tail(event -> seen.add(event.seq()));
        log.append(List.of(agent("a", 1), agent("b", 2)));
        appendAgents(log, 3, 6);
        assertThat(seen).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void ephemeralEventsAreRefused() {
        InMemoryEventLog log = new InMemoryEventLog(3);
        DashboardEvent metrics = new MetricsUpdateEvent(0, 0, 0, 0, null, null, 1);
        assertThatThrownBy(() -> log.append(List.of(metrics))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("metrics:update");
        assertThat(log.newestSeq()).isZero();
    }

    @Test
    void everyLogHasItsOwnEpoch() {
        assertThat(new InMemoryEventLog(1).epoch()).isNotBlank().isNotEqualTo(new InMemoryEventLog(1).epoch());
    }

    @Test
    void ringOverwritesTheOldest() {
        InMemoryEventLog log = new InMemoryEventLog(3);
        appendAgents(log, 1, 5);
        assertThat(log.newestSeq()).isEqualTo(5);
        assertThat(log.oldestSeq()).isEqualTo(3);
        assertThat(log.size()).isEqualTo(3);
        History all = log.readAfter(0, Long.MAX_VALUE, ALL, 100);
        assertThat(seqs(all)).containsExactly(3L, 4L, 5L);
        assertThat(all.events()).extracting(s -> ((AgentStatusEvent) s.event()).agentId()).containsExactly("a3", "a4", "a5");
    }

    @Test
    void ringWrapsManyTimes() {
        InMemoryEventLog log = new InMemoryEventLog(4);
        appendAgents(log, 1, 103);
        assertThat(seqs(log.readAfter(0, Long.MAX_VALUE, ALL, 100))).containsExactly(100L, 101L, 102L, 103L);
        assertThat(log.size()).isEqualTo(4);
    }

    @Test
    void readAfterReachesBackOnlyWhileTheNextSeqIsHeld() {
        InMemoryEventLog log = new InMemoryEventLog(3);
        appendAgents(log, 1, 5); // holds 3, 4, 5
        History fromTwo = log.readAfter(2, Long.MAX_VALUE, ALL, 100);
        assertThat(fromTwo.reachesBack()).isTrue();
        assertThat(fromTwo.complete()).isTrue();
        assertThat(seqs(fromTwo)).containsExactly(3L, 4L, 5L);

        History fromOne = log.readAfter(1, Long.MAX_VALUE, ALL, 100);
        assertThat(fromOne.reachesBack()).isFalse();
        assertThat(fromOne.complete()).isFalse();
        assertThat(seqs(fromOne)).containsExactly(3L, 4L, 5L);

        assertThat(log.readAfter(0, Long.MAX_VALUE, ALL, 100).reachesBack()).isFalse();
    }

    @Test
    void readAfterIsExclusiveOfAfterAndInclusiveOfUpTo() {
        InMemoryEventLog log = new InMemoryEventLog(10);
        appendAgents(log, 1, 6);
        assertThat(seqs(log.readAfter(2, 4, ALL, 100))).containsExactly(3L, 4L);
        assertThat(seqs(log.readAfter(6, Long.MAX_VALUE, ALL, 100))).isEmpty();
        assertThat(log.readAfter(6, Long.MAX_VALUE, ALL, 100).complete()).isTrue();
        // Asking past the newest is not an error: there is simply nothing yet.
        assertThat(seqs(log.readAfter(3, 99, ALL, 100))).containsExactly(4L, 5L, 6L);
    }

    @Test
    void readAfterFiltersByChannel() {
        InMemoryEventLog log = new InMemoryEventLog(10);
        log.append(List.of(agent("a", 1), task("t1", 2), agent("b", 3), task("t2", 4)));
        History tasks = log.readAfter(0, Long.MAX_VALUE, EnumSet.of(Channel.TASKS), 100);
        assertThat(seqs(tasks)).containsExactly(2L, 4L);
        assertThat(tasks.complete()).isTrue();
        assertThat(log.readAfter(0, Long.MAX_VALUE, EnumSet.of(Channel.MEMORY), 100).events()).isEmpty();
    }

    @Test
    void readAfterLimitCutsAndSaysSo() {
        InMemoryEventLog log = new InMemoryEventLog(10);
        appendAgents(log, 1, 5);
        History cut = log.readAfter(0, Long.MAX_VALUE, ALL, 2);
        assertThat(seqs(cut)).containsExactly(1L, 2L);
        assertThat(cut.cutByLimit()).isTrue();
        assertThat(cut.reachesBack()).isTrue();
        assertThat(cut.complete()).isFalse();

        History exact = log.readAfter(0, Long.MAX_VALUE, ALL, 5);
        assertThat(seqs(exact)).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(exact.cutByLimit()).isFalse();
    }

    @Test
    void limitCountsOnlyMatchingEvents() {
        InMemoryEventLog log = new InMemoryEventLog(10);
        log.append(List.of(task("t1", 1), agent("a", 2), agent("b", 3), task("t2", 4)));
        // Two task events, limit two: not cut, although four events were read.
        History tasks = log.readAfter(0, Long.MAX_VALUE, EnumSet.of(Channel.TASKS), 2);
        assertThat(seqs(tasks)).containsExactly(1L, 4L);
        assertThat(tasks.cutByLimit()).isFalse();
    }

    @Test
    void readSinceIsInclusiveByTimestamp() {
        InMemoryEventLog log = new InMemoryEventLog(10);
        appendAgents(log, 1, 5); // timestamps 100..500
        History since = log.readSince(300, ALL, 100);
        assertThat(seqs(since)).containsExactly(3L, 4L, 5L);
        assertThat(since.complete()).isTrue();
        assertThat(log.readSince(501, ALL, 100).events()).isEmpty();
    }

    @Test
    void readSinceReachesBackOnlyWhenNothingAtOrAfterSinceWasDropped() {
        InMemoryEventLog log = new InMemoryEventLog(3);
        appendAgents(log, 1, 5); // dropped a1 (100), a2 (200); holds 300..500
        History after = log.readSince(201, ALL, 100);
        assertThat(after.reachesBack()).isTrue();
        assertThat(seqs(after)).containsExactly(3L, 4L, 5L);

        History atDropped = log.readSince(200, ALL, 100);
        assertThat(atDropped.reachesBack()).isFalse();
        assertThat(atDropped.complete()).isFalse();
        assertThat(seqs(atDropped)).containsExactly(3L, 4L, 5L);

        assertThat(log.readSince(0, ALL, 100).reachesBack()).isFalse();
    }

    @Test
    void readSinceHandlesTimestampsOutOfOrder() {
        // Producers' clocks differ: a dropped event may be newer than one still held.
        InMemoryEventLog log = new InMemoryEventLog(2);
        log.append(List.of(agent("late-clock", 1000), agent("x", 100), agent("y", 200)));
        History since = log.readSince(150, ALL, 100);
        assertThat(since.reachesBack()).as("an event with timestamp 1000 >= 150 was dropped").isFalse();
        assertThat(seqs(since)).containsExactly(3L);
    }

    @Test
    void readSinceLimitAndChannels() {
        InMemoryEventLog log = new InMemoryEventLog(10);
        log.append(List.of(agent("a", 10), task("t1", 20), task("t2", 30), task("t3", 40)));
        History cut = log.readSince(0, EnumSet.of(Channel.TASKS), 2);
        assertThat(seqs(cut)).containsExactly(2L, 3L);
        assertThat(cut.cutByLimit()).isTrue();
        assertThat(cut.complete()).isFalse();
        assertThat(seqs(log.readSince(0, EnumSet.of(Channel.AGENTS), 2))).containsExactly(1L);
    }

    @Test
    void concurrentAppendsGetDistinctConsecutiveSeqs() throws InterruptedException {
        InMemoryEventLog log = new InMemoryEventLog(100_000);
        List<Long> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        log.tail(event -> seen.add(event.seq()));
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            Thread producer = new Thread(() -> {
                for (int i = 0; i < 2_000; i++) {
                    log.append(List.of(agent("t" + thread + "-" + i, i + 1), task("t" + thread + "-" + i, i + 1)));
                }
            });
            producer.start();
            threads.add(producer);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(log.newestSeq()).isEqualTo(16_000);
        assertThat(seen).containsExactlyElementsOf(LongStream.rangeClosed(1, 16_000).boxed().toList());
        // A batch's events are consecutive: each agent event is directly followed by its task event.
        History all = log.readAfter(0, Long.MAX_VALUE, ALL, 20_000);
        for (int i = 0; i < all.events().size(); i += 2) {
            String agentId = ((AgentStatusEvent) all.events().get(i).event()).agentId();
            String taskId = ((TaskUpdateEvent) all.events().get(i + 1).event()).taskId();
            assertThat(taskId).isEqualTo(agentId);
        }
    }

    /**
     * A channel set that appends {@code count} events when it is asked about the {@code nth} event of a read:
     * a writer lapping the reader at an exact point of the read, without threads.
     */
    private static Set<Channel> appendingDuringRead(InMemoryEventLog log, int nth, int firstAgent, int count) {
        return new java.util.AbstractSet<>() {
            private int asked;

            @Override
            public boolean contains(Object channel) {
                if (++asked == nth) {
                    appendAgents(log, firstAgent, firstAgent + count - 1);
                }
                return ALL.contains(channel);
            }

            @Override
            public java.util.Iterator<Channel> iterator() {
                return ALL.iterator();
            }

            @Override
            public int size() {
                return ALL.size();
            }
        };
    }

    @Test
    void aReadLappedByAppendsStartsOverFromTheOldestHeldAndSaysItNoLongerReachesBack() {
        InMemoryEventLog log = new InMemoryEventLog(10);
        appendAgents(log, 1, 10);
        // While seq 3 is looked at, seqs 11..15 overwrite the slots of 1..5: 4 and 5 are gone before they are read.
        History history = log.readAfter(0, Long.MAX_VALUE, appendingDuringRead(log, 3, 11, 5), 100);
        assertThat(seqs(history)).as("a contiguous run, never one with a hole").containsExactly(6L, 7L, 8L, 9L, 10L);
        assertThat(history.reachesBack()).isFalse();
        assertThat(history.complete()).isFalse();
        assertThat(history.events()).allSatisfy(event ->
                assertThat(((AgentStatusEvent) event.event()).agentId()).isEqualTo("a" + event.seq()));
    }

    @Test
    void aReadLappedAfterWhatItAskedForStillReachesBack() {
        InMemoryEventLog log = new InMemoryEventLog(10);
        appendAgents(log, 1, 10);
        // Seqs 11 and 12 overwrite 1 and 2, which the read (after 5) does not want.
        History history = log.readAfter(5, Long.MAX_VALUE, appendingDuringRead(log, 1, 11, 2), 100);
        assertThat(seqs(history)).as("up to the newest seq when the read began").containsExactly(6L, 7L, 8L, 9L, 10L);
        assertThat(history.complete()).isTrue();
    }

    @Test
    void aReadByTimeLappedByAppendsKnowsItLostEventsItWanted() {
        InMemoryEventLog log = new InMemoryEventLog(10);
        appendAgents(log, 1, 10); // timestamps 100..1000
        // The channel set is asked about matching events only: the first is seq 3 (timestamp 300).
        History history = log.readSince(250, appendingDuringRead(log, 1, 11, 5), 100);
        assertThat(seqs(history)).containsExactly(6L, 7L, 8L, 9L, 10L);
        assertThat(history.reachesBack()).as("seqs 3..5 (timestamps 300..500) were dropped during the read").isFalse();
    }

    @Test
    void readsDoNotWaitForAnAppendInProgress() throws Exception {
        InMemoryEventLog log = new InMemoryEventLog(100);
        appendAgents(log, 1, 50);
        java.util.concurrent.CountDownLatch appending = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        log.tail(event -> {
            appending.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread appender = new Thread(() -> appendAgents(log, 51, 51));
        appender.start();
        try {
            assertThat(appending.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            // The appender holds the log's lock (the tail is called under it); reads still answer.
            java.util.concurrent.CompletableFuture<History> read = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> log.readAfter(0, Long.MAX_VALUE, ALL, 1_000));
            assertThat(seqs(read.get(10, java.util.concurrent.TimeUnit.SECONDS))).hasSizeGreaterThanOrEqualTo(50);
            assertThat(log.readSince(0, ALL, 1_000).events()).hasSizeGreaterThanOrEqualTo(50);
            assertThat(log.newestSeq()).isGreaterThanOrEqualTo(50);
        } finally {
            release.countDown();
            appender.join();
        }
        assertThat(log.newestSeq()).isEqualTo(51);
    }

    @Test
    void readsRacingAFastWriterAlwaysGetContiguousRunsOfTheRightEvents() throws Exception {
        InMemoryEventLog log = new InMemoryEventLog(1_000);
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread writer = new Thread(() -> {
            for (int i = 1; i <= 200_000; i++) {
                log.append(List.of(agent("a" + i, i)));
            }
            done.set(true);
        });
        writer.start();
        int reads = 0;
        while (!done.get() || reads < 100) {
            long newest = log.newestSeq();
            long after = Math.max(0, newest - 900);
            History history = log.readAfter(after, Long.MAX_VALUE, ALL, 2_000);
            List<Long> seqs = seqs(history);
            for (int i = 1; i < seqs.size(); i++) {
                assertThat(seqs.get(i)).isEqualTo(seqs.get(i - 1) + 1);
            }
            if (!seqs.isEmpty() && history.reachesBack()) {
                assertThat(seqs.get(0)).isEqualTo(after + 1);
            }
            for (StoredEvent event : history.events()) {
                assertThat(((AgentStatusEvent) event.event()).agentId()).isEqualTo("a" + event.seq());
            }
            reads++;
        }
        writer.join();
        assertThat(reads).isGreaterThanOrEqualTo(100);
    }
}
