package io.swarmcast.server;

import io.swarmcast.server.RateLimiter.Verdict;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The inbound token bucket, driven by a clock the test moves, so no test waits for real time. */
class RateLimiterTest {

    private static final long MS = 1_000_000L;
    private static final long START = 5_000 * MS; // any origin: the limiter only compares differences

    /** 10 frames/s sustained, burst 3, closed after more than 2 refusals within one second. */
    private final RateLimiter limiter = new RateLimiter(10, 3, 2, 1_000 * MS, START);

    @Test
    void burstIsAcceptedThenFramesAreRefused() {
        assertThat(limiter.onFrame(START)).isEqualTo(Verdict.ACCEPT);
        assertThat(limiter.onFrame(START)).isEqualTo(Verdict.ACCEPT);
        assertThat(limiter.onFrame(START)).isEqualTo(Verdict.ACCEPT);
        assertThat(limiter.onFrame(START)).isEqualTo(Verdict.REFUSE);
    }

    @Test
    void tokensComeBackAtTheRate() {
        for (int i = 0; i < 3; i++) {
            limiter.onFrame(START);
        }
        assertThat(limiter.onFrame(START + 50 * MS)).as("half a token after 50 ms").isEqualTo(Verdict.REFUSE);
        // 250 ms after the start at 10/s is 2.5 tokens: two frames pass, the third does not.
        long later = START + 250 * MS;
        assertThat(limiter.onFrame(later)).isEqualTo(Verdict.ACCEPT);
        assertThat(limiter.onFrame(later)).isEqualTo(Verdict.ACCEPT);
        assertThat(limiter.onFrame(later)).isEqualTo(Verdict.REFUSE);
    }

    @Test
    void refillNeverExceedsTheBurst() {
        long muchLater = START + 60_000 * MS;
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.onFrame(muchLater)).isEqualTo(Verdict.ACCEPT);
        }
        assertThat(limiter.onFrame(muchLater)).isEqualTo(Verdict.REFUSE);
    }

    @Test
    void steadySenderAtTheRateIsNeverRefused() {
        RateLimiter steady = new RateLimiter(10, 1, 1, 1_000 * MS, START);
        for (int i = 1; i <= 1_000; i++) {
            assertThat(steady.onFrame(START + i * 101 * MS)).as("frame %d", i).isEqualTo(Verdict.ACCEPT);
        }
    }

    @Test
    void floodingPastTheRefusalLimitCloses() {
        for (int i = 0; i < 3; i++) {
            limiter.onFrame(START);
        }
        assertThat(limiter.onFrame(START + MS)).isEqualTo(Verdict.REFUSE);
        assertThat(limiter.onFrame(START + 2 * MS)).isEqualTo(Verdict.REFUSE);
        assertThat(limiter.onFrame(START + 3 * MS)).isEqualTo(Verdict.CLOSE);
    }

    @Test
    void refusalsCountPerWindow() {
        for (int i = 0; i < 3; i++) {
            limiter.onFrame(START);
        }
        assertThat(limiter.onFrame(START)).isEqualTo(Verdict.REFUSE);
        assertThat(limiter.onFrame(START)).isEqualTo(Verdict.REFUSE);
        // A new window: the bucket refills (burst 3), and the refusal count starts again.
        long nextWindow = START + 1_500 * MS;
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.onFrame(nextWindow)).isEqualTo(Verdict.ACCEPT);
        }
        assertThat(limiter.onFrame(nextWindow)).isEqualTo(Verdict.REFUSE);
        assertThat(limiter.onFrame(nextWindow)).isEqualTo(Verdict.REFUSE);
        assertThat(limiter.onFrame(nextWindow)).isEqualTo(Verdict.CLOSE);
    }

    @Test
    void defaultsAllowTheProtocolsBurst() {
        // docs/protocol.md section 6: 50 frames/s, burst 100.
        RateLimiter defaults = new RateLimiter(50, 100, 100, 10_000 * MS, START);
        for (int i = 0; i < 100; i++) {
            assertThat(defaults.onFrame(START)).isEqualTo(Verdict.ACCEPT);
        }
        assertThat(defaults.onFrame(START)).isEqualTo(Verdict.REFUSE);
        assertThat(defaults.onFrame(START + 30 * MS)).as("one token per 20 ms").isEqualTo(Verdict.ACCEPT);
    }
}
