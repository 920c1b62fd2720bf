package io.swarmcast.server;

/**
 * A token bucket for one connection's inbound frames, plus the count of refused frames that decides
 * when a client that keeps flooding is closed. Used from the container's thread for that connection
 * only (frames of one connection arrive one at a time), so it needs no locking.
 */
final class RateLimiter {

    enum Verdict { ACCEPT, REFUSE, CLOSE }

    private final double tokensPerNano;
    private final double burst;
    private final int closeAfterRefused;
    private final long windowNanos;

    private double tokens;
    private long lastRefillNanos;
    private int refusedInWindow;
    private long windowStartNanos;

    RateLimiter(int perSecond, int burst, int closeAfterRefused, long windowNanos, long nowNanos) {
        this.tokensPerNano = perSecond / 1e9;
        this.burst = burst;
        this.closeAfterRefused = closeAfterRefused;
        this.windowNanos = windowNanos;
        this.tokens = burst;
        this.lastRefillNanos = nowNanos;
        this.windowStartNanos = nowNanos;
    }

    Verdict onFrame(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - lastRefillNanos) * tokensPerNano);
        lastRefillNanos = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return Verdict.ACCEPT;
        }
        if (nowNanos - windowStartNanos > windowNanos) {
            windowStartNanos = nowNanos;
            refusedInWindow = 0;
        }
        return ++refusedInWindow > closeAfterRefused ? Verdict.CLOSE : Verdict.REFUSE;
    }
}
