package io.swarmcast.server;

import io.swarmcast.event.AgentStatus;
import io.swarmcast.event.AgentStatusEvent;
import io.swarmcast.event.Channel;
import io.swarmcast.event.MetricsUpdateEvent;
import io.swarmcast.event.Topology;
import io.swarmcast.event.TopologyChangeEvent;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A conflating client's send queue ({@link OutboundQueue} with a {@link Conflation}) against a fake socket whose
 * writes complete when the test says, so the queue backs up exactly as far as the test wants: below the threshold
 * nothing changes; past it only the latest frame of each key is kept, frames with no latest are skipped, and the
 * {@code conflated} notice after the kept frames names every skipped seq; what is held is bounded and counted.
 */
class ConflatingQueueTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ControlFrames FRAMES = new ControlFrames(JSON, () -> 1L);

    private final List<Long> overflows = new CopyOnWriteArrayList<>();
    private final AtomicInteger framesSent = new AtomicInteger();
    private final AtomicInteger skipped = new AtomicInteger();

    private OutboundQueue queue(FakeFrameSocket socket, SendBudget budget) {
        return new OutboundQueue(socket, 1 << 20, 1 << 20, budget, overflows::add, e -> { }, framesSent::addAndGet);
    }

    private Conflation conflation(long threshold, long heldLimit) {
        return new Conflation(threshold, heldLimit, FRAMES::conflated, skipped::addAndGet);
    }

    /** A live event frame as the fan-out makes it; its text names its seq and what it is about. */
    private static Outbound agent(long seq, String id) {
        return event(seq, Channel.AGENTS, id, new ConflationKey(Channel.AGENTS, id));
    }

    private static Outbound task(long seq, String id) {
        return event(seq, Channel.TASKS, id, new ConflationKey(Channel.TASKS, id));
    }

    private static Outbound message(long seq) {
        return event(seq, Channel.MESSAGES, "m" + seq, null);
    }

    private static Outbound memory(long seq) {
        return event(seq, Channel.MEMORY, "k" + seq, null);
    }

    private static Outbound metrics(int tick) {
        return event(0, Channel.METRICS, "tick" + tick, new ConflationKey(Channel.METRICS, "metrics"));
    }

    private static Outbound event(long seq, Channel channel, String id, ConflationKey key) {
        String text = "{\"seq\":" + seq + ",\"channel\":\"" + channel.wireName() + "\",\"id\":\"" + id + "\"}";
        return Outbound.live(WireFrame.text(text), seq, channel, key);
    }

    private static List<JsonNode> parsed(FakeFrameSocket socket) {
        List<JsonNode> frames = new ArrayList<>();
        socket.sent().forEach(text -> frames.add(JSON.readTree(text)));
        return frames;
    }

    private static void completeAll(FakeFrameSocket socket) {
        while (socket.pendingCount() > 0) {
            socket.completeNext();
        }
    }

    @Test
    void theKeyIncludesTheSwarm() {
        AgentStatusEvent inDefault = new AgentStatusEvent("a1", null, null, AgentStatus.BUSY, null, null, null, 1L);
        AgentStatusEvent inS2 = inDefault.withSwarmId("s2");
        assertThat(ConflationKey.of(inDefault)).isEqualTo(ConflationKey.of(inDefault.withSwarmId(null)))
                .isNotEqualTo(ConflationKey.of(inS2));
        assertThat(ConflationKey.of(inS2)).isEqualTo(ConflationKey.of(inS2.toBuilder().timestamp(2L).build()));
        TopologyChangeEvent topology = new TopologyChangeEvent(Topology.MESH, List.of(), List.of(), 1L);
        assertThat(ConflationKey.of(topology)).isNotEqualTo(ConflationKey.of(topology.withSwarmId("s2")));
        MetricsUpdateEvent metrics = new MetricsUpdateEvent(1, 0, 0, 0, null, null, 1L);
        assertThat(ConflationKey.of(metrics)).isNotEqualTo(ConflationKey.of(metrics.withSwarmId("s2")));
    }

    @Test
    void belowTheThresholdAConflatingClientGetsEveryFrame() {
        FakeFrameSocket socket = new FakeFrameSocket(FakeFrameSocket.Mode.INLINE);
        OutboundQueue queue = queue(socket, SendBudget.unlimited());
        queue.conflate(conflation(64 * 1024, 1 << 20));
        for (int seq = 1; seq <= 50; seq++) {
            assertThat(queue.offer(seq % 2 == 0 ? agent(seq, "a1") : message(seq))).isTrue();
        }
        queue.flush();
        assertThat(parsed(socket)).extracting(f -> f.path("seq").asLong())
                .containsExactlyElementsOf(seqs(1, 50));
        assertThat(queue.isIdle()).isTrue();
    }

    @Test
    void pastTheThresholdOnlyTheLatestOfEachKeyIsKeptAndTheNoticeNamesEverySkippedSeq() {
        FakeFrameSocket socket = new FakeFrameSocket(FakeFrameSocket.Mode.DEFERRED);
        OutboundQueue queue = queue(socket, SendBudget.unlimited());
        queue.conflate(conflation(1, 1 << 20));
        // Seq 1 goes into the write in flight; seq 2 waits in the queue, past the 1-byte threshold.
        queue.send(agent(1, "a1"));
        queue.offer(agent(2, "a2"));
        // From here everything is held.
        queue.offer(agent(3, "a1"));
        queue.offer(message(4));
        queue.offer(task(5, "t1"));
        queue.offer(metrics(1));
        queue.offer(agent(6, "a1"));
        queue.offer(memory(7));
        queue.offer(task(8, "t1"));
        queue.offer(metrics(2));
        queue.offer(agent(9, "a3"));
        queue.flush();
        assertThat(queue.heldBytes()).isPositive();

        completeAll(socket);

        List<JsonNode> sent = parsed(socket);
        assertThat(sent.subList(0, sent.size() - 1)).extracting(f -> f.path("id").asString())
                .containsExactly("a1", "a2", "a1", "t1", "tick2", "a3");
        assertThat(sent.subList(0, sent.size() - 1)).extracting(f -> f.path("seq").asLong())
                .containsExactly(1L, 2L, 6L, 8L, 0L, 9L);
        JsonNode notice = sent.get(sent.size() - 1);
        assertThat(notice.path("type").asString()).isEqualTo("conflated");
        assertThat(notice.path("fromSeq").asLong()).isEqualTo(3);
        assertThat(notice.path("toSeq").asLong()).isEqualTo(9);
        assertThat(notice.path("count").asLong()).isEqualTo(4);
        assertThat(notice.path("seqs").toString()).isEqualTo("[[3,5],[7,7]]");
        assertThat(notice.path("skipped").toString())
                .isEqualTo("{\"agents\":1,\"tasks\":1,\"messages\":1,\"memory\":1,\"metrics\":1}");
        assertThat(queue.isIdle()).isTrue();
        assertThat(queue.heldBytes()).isZero();
        assertThat(queue.queuedBytes()).isZero();
        assertThat(overflows).isEmpty();
        assertThat(skipped).as("swarmcast.frames.conflated").hasValue(5);
    }

    /**
     * Whatever the order of events and writes: the client's seqs only grow, every seq is either delivered or named
     * in exactly one notice, and the latest state of every key it received is the latest there was.
     */
    @Test
    void everySeqIsDeliveredOrNamedOnceAndTheLatestStateAlwaysArrives() {
        Random random = new Random(7);
        for (int round = 0; round < 10; round++) {
            FakeFrameSocket socket = new FakeFrameSocket(FakeFrameSocket.Mode.DEFERRED);
            OutboundQueue queue = queue(socket, SendBudget.unlimited());
            queue.conflate(conflation(100 + random.nextInt(400), 1 << 20));
            Map<String, Long> latest = new HashMap<>();
            int events = 2000;
            for (long seq = 1; seq <= events; seq++) {
                int kind = random.nextInt(4);
                Outbound frame = switch (kind) {
                    case 0 -> agent(seq, "a" + random.nextInt(5));
                    case 1 -> task(seq, "t" + random.nextInt(20));
                    case 2 -> message(seq);
                    default -> memory(seq);
                };
                if (frame.key() != null) {
                    latest.put(frame.key().id(), seq);
                }
                assertThat(queue.offer(frame)).isTrue();
                if (random.nextInt(10) == 0) {
                    queue.flush();
                }
                // The client reads about one write for every twenty events.
                if (random.nextInt(20) == 0 && socket.pendingCount() > 0) {
                    socket.completeNext();
                }
            }
            queue.flush();
            completeAll(socket);

            List<Long> delivered = new ArrayList<>();
            Set<Long> named = new HashSet<>();
            Map<String, Long> received = new HashMap<>();
            int notices = 0;
            for (JsonNode frame : parsed(socket)) {
                if ("conflated".equals(frame.path("type").asString())) {
                    notices++;
                    for (JsonNode range : frame.path("seqs")) {
                        for (long seq = range.get(0).asLong(); seq <= range.get(1).asLong(); seq++) {
                            assertThat(named.add(seq)).as("seq %d named once", seq).isTrue();
                        }
                    }
                    continue;
                }
                long seq = frame.path("seq").asLong();
                delivered.add(seq);
                String channel = frame.path("channel").asString();
                if (channel.equals("agents") || channel.equals("tasks")) {
                    received.put(frame.path("id").asString(), seq);
                }
            }
            assertThat(notices).as("the client fell behind").isPositive();
            assertThat(delivered).as("seqs only grow").isSorted().doesNotHaveDuplicates();
            assertThat(named).doesNotContainAnyElementsOf(delivered);
            Set<Long> all = new HashSet<>(delivered);
            all.addAll(named);
            assertThat(all).containsExactlyInAnyOrderElementsOf(seqs(1, events));
            assertThat(received).isEqualTo(latest);
            assertThat(queue.queuedBytes()).isZero();
        }
    }

    @Test
    void onlyPassingTheHeldLimitClosesAConflatingClient() {
        FakeFrameSocket socket = new FakeFrameSocket(FakeFrameSocket.Mode.DEFERRED);
        SendBudget budget = new SendBudget(1 << 30);
        OutboundQueue queue = queue(socket, budget);
        queue.conflate(conflation(1, 4096));
        queue.send(agent(1, "a0"));
        queue.offer(agent(2, "a0"));
        // The same few keys again and again never fill it, however many frames...
        long seq = 3;
        for (int i = 0; i < 200; i++) {
            assertThat(queue.offer(agent(seq++, "a" + (i % 3)))).isTrue();
        }
        assertThat(overflows).isEmpty();
        assertThat(budget.queuedBytes()).as("held bytes count against the global bound")
                .isEqualTo(queue.queuedBytes());
        // ...but new keys do: kept frames and skipped seqs count against the held limit.
        boolean open = true;
        while (open && seq < 10_000) {
            open = queue.offer(agent(seq, "new-" + seq));
            seq++;
        }
        assertThat(open).isFalse();
        assertThat(overflows).hasSize(1);
        assertThat(queue.isClosed()).isTrue();
        assertThat(queue.heldBytes()).isZero();
        assertThat(budget.queuedBytes()).isZero();
        assertThat(queue.offer(agent(seq, "late"))).isFalse();
    }

    @Test
    void anAnswerGoesBehindWhatWasHeldAndStoppingReleasesIt() {
        FakeFrameSocket socket = new FakeFrameSocket(FakeFrameSocket.Mode.DEFERRED);
        OutboundQueue queue = queue(socket, SendBudget.unlimited());
        queue.conflate(conflation(1, 1 << 20));
        queue.send(agent(1, "a1"));
        queue.offer(agent(2, "a1"));
        queue.offer(agent(3, "a1"));
        queue.offer(agent(4, "a1"));
        queue.offerAnswer(List.of(WireFrame.text("{\"type\":\"subscribed\"}")));
        queue.offer(agent(5, "a1"));
        queue.offer(agent(6, "a1"));
        queue.stopConflating();
        assertThat(queue.isConflating()).isFalse();
        queue.offer(agent(7, "a1"));
        queue.flush();
        completeAll(socket);

        assertThat(parsed(socket)).extracting(f -> (f.has("type") ? f.get("type").asString() : "") + f.path("seq").asLong())
                .containsExactly("1", "2", "4", "conflated0", "subscribed0", "6", "conflated0", "7");
    }

    @Test
    void aQueueThatDoesNotConflateIsClosedAtItsLiveBoundAsBefore() {
        FakeFrameSocket socket = new FakeFrameSocket(FakeFrameSocket.Mode.DEFERRED);
        OutboundQueue queue = new OutboundQueue(socket, 1024, 1 << 20, SendBudget.unlimited(), overflows::add,
                e -> { }, framesSent::addAndGet);
        queue.send(agent(1, "a1"));
        boolean open = true;
        long seq = 2;
        while (open && seq < 1000) {
            open = queue.offer(agent(seq++, "a1"));
        }
        assertThat(open).isFalse();
        assertThat(overflows).hasSize(1);
    }

    private static List<Long> seqs(long from, long to) {
        List<Long> seqs = new ArrayList<>();
        for (long seq = from; seq <= to; seq++) {
            seqs.add(seq);
        }
        return seqs;
    }
}
