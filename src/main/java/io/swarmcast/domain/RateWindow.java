package io.swarmcast.domain;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Counts occurrences over a sliding one-second window, in 20 buckets of 50 ms: recording is one atomic
 * add, and the rate is the sum of the buckets that still lie inside the last second.
 */
public final class RateWindow {

    private static final int BUCKETS = 20;
    private static final long BUCKET_MILLIS = 1000 / BUCKETS;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    /** The bucket index (millis / 50) each slot currently counts for. */
    private final AtomicLongArray slotEpochs = new AtomicLongArray(BUCKETS);
    private final LongSupplier clock;

    public RateWindow(LongSupplier millisClock) {
        this.clock = millisClock;
    }

    public RateWindow() {
        this(System::currentTimeMillis);
    }

    public void record() {
        record(1);
    }

    public void record(long n) {
        long bucket = clock.getAsLong() / BUCKET_MILLIS;
        int slot = (int) (bucket % BUCKETS);
        long owner = slotEpochs.get(slot);
        if (owner != bucket) {
            // The slot holds an older bucket: claim it. Losing the race means another thread just did.
            if (slotEpochs.compareAndSet(slot, owner, bucket)) {
                counts.set(slot, 0);
            }
        }
        counts.addAndGet(slot, n);
    }

    /** Occurrences in the last second. */
    public double perSecond() {
        long current = clock.getAsLong() / BUCKET_MILLIS;
        long sum = 0;
        for (int slot = 0; slot < BUCKETS; slot++) {
            long bucket = slotEpochs.get(slot);
            if (current - bucket < BUCKETS) {
                sum += counts.get(slot);
            }
        }
        return sum;
    }
}
