package io.swarmcast.server;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bytes queued for all clients together, bounded by {@code limits.total-send-buffer-limit}. Each client's
 * own bounds keep one client from growing without end; this one keeps many clients (a thousand that stop
 * reading, each just under its own bound) from adding up to more than the heap can spare. Past it, the
 * clients with the largest queues are closed as slow consumers (1013) until the total is back under it:
 * they are the ones holding the memory, and they can resume with {@code sinceSeq}.
 *
 * <p>Queues report every byte they take in and let go of ({@link OutboundQueue}); a byte stops counting when its
 * write starts, as for the per-client bounds. Checking costs one atomic add per offer; only going over the
 * limit walks the queues, once per queue closed.
 */
final class SendBudget {

    private final long limit;
    private final AtomicLong queued = new AtomicLong();
    private final Set<OutboundQueue> queues = ConcurrentHashMap.newKeySet();
    private final ReentrantLock relieving = new ReentrantLock();

    SendBudget(long limit) {
        this.limit = limit;
    }

    /** No global bound: for a queue on its own (tests). */
    static SendBudget unlimited() {
        return new SendBudget(Long.MAX_VALUE);
    }

    long limit() {
        return limit;
    }

    /** Bytes queued for all clients now, not counting writes in flight. */
    long queuedBytes() {
        return queued.get();
    }

    void register(OutboundQueue queue) {
        queues.add(queue);
    }

    void unregister(OutboundQueue queue) {
        queues.remove(queue);
    }

    /** Counts bytes just queued; returns true when the total is now over the limit (then call {@link #relieve}). */
    boolean charge(long bytes) {
        return queued.addAndGet(bytes) > limit;
    }

    void release(long bytes) {
        queued.addAndGet(-bytes);
    }

    /**
     * Closes the clients with the largest queues, largest first, until the total is within the limit. One
     * thread at a time does it; a thread that finds it being done goes on (the one doing it sees its bytes).
     */
    void relieve() {
        if (!relieving.tryLock()) {
            return;
        }
        try {
            while (queued.get() > limit) {
                OutboundQueue largest = null;
                long largestBytes = 0;
                for (OutboundQueue queue : queues) {
                    long bytes = queue.queuedBytes();
                    if (bytes > largestBytes) {
                        largest = queue;
                        largestBytes = bytes;
                    }
                }
                if (largest == null) {
                    return;
                }
                // Closing drops its queue, which gives its bytes back, and unregisters it.
                largest.overflow();
            }
        } finally {
            relieving.unlock();
        }
    }
}
