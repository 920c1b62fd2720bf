package io.swarmcast.publish;

import io.swarmcast.event.MetricsUpdateEvent;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsHistoryTest {

    private final MetricsHistory history = new MetricsHistory();

    @Test
    void keepsTheLastFiveMinutesOldestFirst() {
        long start = 1_000_000;
        for (int i = 0; i <= 400; i++) {
            history.record(tick(start + i * 1000L, i));
        }
        List<MetricsUpdateEvent> ticks = history.ticks();
        long newest = start + 400_000;
        assertThat(ticks.get(ticks.size() - 1).timestamp()).isEqualTo(newest);
        assertThat(ticks.get(0).timestamp()).isEqualTo(newest - MetricsHistory.WINDOW.toMillis());
        assertThat(ticks).hasSize(301);
        assertThat(ticks).isSortedAccordingTo((a, b) -> Long.compare(a.timestamp(), b.timestamp()));
    }

    @Test
    void staysBoundedWhenTicksComeFasterThanOneASecond() {
        for (int i = 0; i < 2000; i++) {
            history.record(tick(5_000L + i, i)); // a millisecond apart: all inside the window
        }
        List<MetricsUpdateEvent> ticks = history.ticks();
        assertThat(ticks).hasSize(MetricsHistory.CAPACITY);
        assertThat(ticks.get(ticks.size() - 1).activeAgents()).isEqualTo(1999);
    }

    @Test
    void aClockJumpForwardDropsWhatIsNowOlderThanTheWindow() {
        history.record(tick(1_000, 1));
        history.record(tick(2_000, 2));
        history.record(tick(2_000 + MetricsHistory.WINDOW.toMillis() + 10_000, 3));
        assertThat(history.ticks()).extracting(MetricsUpdateEvent::activeAgents).containsExactly(3);
    }

    private static MetricsUpdateEvent tick(long timestamp, int activeAgents) {
        return new MetricsUpdateEvent(activeAgents, 0, 0.0, 0.0, 1, 0.0, timestamp);
    }
}
