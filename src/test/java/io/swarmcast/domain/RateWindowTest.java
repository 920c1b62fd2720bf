package io.swarmcast.domain;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RateWindowTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final RateWindow window = new RateWindow(now::get);

    @Test
    void countsWhatHappenedWithinTheLastSecond() {
        for (int i = 0; i < 10; i++) {
            window.record();
            now.addAndGet(50);
        }
        assertThat(window.perSecond()).isEqualTo(10);
    }

    @Test
    void forgetsWhatIsOlderThanOneSecond() {
        window.record(7);
        now.addAndGet(600);
        window.record(3);
        assertThat(window.perSecond()).isEqualTo(10);
        now.addAndGet(500);
        assertThat(window.perSecond()).isEqualTo(3);
        now.addAndGet(600);
        assertThat(window.perSecond()).isZero();
    }

    @Test
    void aSlotReusedAfterAFullTurnStartsFromZero() {
        window.record(5);
        now.addAndGet(1000);
        window.record(2);
        assertThat(window.perSecond()).isEqualTo(2);
    }
}
