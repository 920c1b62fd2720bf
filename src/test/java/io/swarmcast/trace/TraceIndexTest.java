package io.swarmcast.trace;

import io.swarmcast.event.AgentStatus;
import io.swarmcast.event.AgentStatusEvent;
import io.swarmcast.event.Trace;
import io.swarmcast.log.StoredEvent;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The index behind {@code GET /api/trace/{traceId}}: seq order, paging, and bounded by the history window. */
class TraceIndexTest {

    private static StoredEvent event(long seq, String traceId) {
        return new StoredEvent(seq, new AgentStatusEvent("a" + seq, null, null, AgentStatus.BUSY, null, null, null, seq,
                traceId == null ? null : new Trace(traceId, "p" + seq), null));
    }

    private static List<Long> seqs(TraceIndex.Lookup lookup) {
        return lookup.events().stream().map(StoredEvent::seq).toList();
    }

    @Test
    void findsATracesEventsInSeqOrderAmongOthers() {
        TraceIndex index = new TraceIndex(100);
        for (long seq = 1; seq <= 20; seq++) {
            index.appended(event(seq, seq % 3 == 0 ? "t-3" : seq % 5 == 0 ? "t-5" : null));
        }
        assertThat(seqs(index.lookup("t-3", 0, 100))).containsExactly(3L, 6L, 9L, 12L, 15L, 18L);
        assertThat(seqs(index.lookup("t-5", 0, 100))).containsExactly(5L, 10L, 20L);
        assertThat(index.lookup("nope", 0, 100).known()).isFalse();
        assertThat(index.size()).as("only traced events are held").isEqualTo(9);
        assertThat(index.coversFromSeq()).isEqualTo(1);
    }

    @Test
    void pagesByAfterSeqAndLimit() {
        TraceIndex index = new TraceIndex(100);
        for (long seq = 1; seq <= 10; seq++) {
            index.appended(event(seq, "t"));
        }
        TraceIndex.Lookup first = index.lookup("t", 0, 4);
        assertThat(seqs(first)).containsExactly(1L, 2L, 3L, 4L);
        assertThat(first.cutByLimit()).isTrue();
        TraceIndex.Lookup rest = index.lookup("t", 4, 100);
        assertThat(seqs(rest)).containsExactly(5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(rest.cutByLimit()).isFalse();
        TraceIndex.Lookup past = index.lookup("t", 10, 100);
        assertThat(past.known()).as("the trace exists, nothing after that seq").isTrue();
        assertThat(past.events()).isEmpty();
    }

    @Test
    void forgetsWhatFallsOutOfTheHistoryWindowSoMemoryIsBoundedByTheHistory() {
        int historySize = 50;
        TraceIndex index = new TraceIndex(historySize);
        for (long seq = 1; seq <= 10_000; seq++) {
            index.appended(event(seq, "t-" + (seq % 7)));
            assertThat(index.size()).isLessThanOrEqualTo(historySize);
        }
        List<Long> kept = seqs(index.lookup("t-0", 0, 1000));
        assertThat(kept).isNotEmpty().allMatch(seq -> seq > 10_000 - historySize);
        assertThat(kept).isSorted();
    }

    @Test
    void untracedEventsPushOldTracedOnesOutOfAnswersEvenBeforeTheyAreForgotten() {
        TraceIndex index = new TraceIndex(10);
        index.appended(event(1, "old"));
        for (long seq = 2; seq <= 30; seq++) {
            index.appended(event(seq, null));
        }
        assertThat(index.lookup("old", 0, 10).known()).as("seq 1 is no longer in a 10-event history").isFalse();
    }

    @Test
    void aBrokenHistoryForgetsEverythingAndCoversFromTheNewStart() {
        TraceIndex index = new TraceIndex(100);
        for (long seq = 1; seq <= 5; seq++) {
            index.appended(event(seq, "t"));
        }
        index.historyBroken("new-epoch", 1);
        assertThat(index.lookup("t", 0, 10).known()).isFalse();
        index.appended(event(1, "t"));
        assertThat(seqs(index.lookup("t", 0, 10))).containsExactly(1L);
        assertThat(index.coversFromSeq()).isEqualTo(1);
    }

    @Test
    void anIndexStartedLateSaysFromWhereItCovers() {
        TraceIndex index = new TraceIndex(100);
        index.appended(event(41, "t"));
        assertThat(index.coversFromSeq()).isEqualTo(41);
    }
}
