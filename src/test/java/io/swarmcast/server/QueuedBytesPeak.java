package io.swarmcast.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The most bytes queued for all clients together ({@link Connections#queuedBytes}) while it runs: a thread samples
 * it every millisecond from {@link #start} to {@link #close}. The send-bound tests assert against the peak.
 */
final class QueuedBytesPeak implements AutoCloseable {

    private final Connections connections;
    private final AtomicLong peak = new AtomicLong();
    private final Thread sampler = new Thread(this::sampleUntilInterrupted, "queued-bytes-peak");

    QueuedBytesPeak(Connections connections) {
        this.connections = connections;
        sampler.setDaemon(true);
    }

    QueuedBytesPeak start() {
        sampler.start();
        return this;
    }

    long peak() {
        return peak.get();
    }

    private void sampleUntilInterrupted() {
        while (!Thread.currentThread().isInterrupted()) {
            peak.accumulateAndGet(connections.queuedBytes(), Math::max);
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops sampling (again is harmless); the peak stays readable. */
    @Override
    public void close() throws InterruptedException {
        sampler.interrupt();
        sampler.join();
    }
}
