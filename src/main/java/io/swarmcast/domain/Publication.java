package io.swarmcast.domain;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What became of one domain event on the wire: the seq the event log gave to the dashboard event it was
 * published as. Every {@link DomainEvent} carries one; the publisher fills it in, and whoever caused the change
 * reads it (ingest answers a producer with the seqs of its events).
 *
 * <p>It is a future rather than a field read after {@code publishEvent} returns, so that it stays right if
 * Spring ever delivers the events asynchronously, and so that the log's answer can come after the domain lock is
 * released: the reader waits for it outside the lock. Events are published synchronously; the seq is there as soon
 * as the service call returns, or, inside an {@code EventServer.appendingTogether} (an ingest batch), when the log
 * answers the batch's append: at its end with the in-memory log, a round trip later with the Redis log.
 */
public final class Publication {

    private final CompletableFuture<Long> seq = new CompletableFuture<>();

    /** A publication that already happened, e.g. of an event that went to the event server without a service. */
    public static Publication of(long seq) {
        Publication publication = new Publication();
        publication.published(seq);
        return publication;
    }

    /** The publisher's part: the event is in the log with this seq (0 for an ephemeral event). */
    public void published(long seq) {
        this.seq.complete(seq);
    }

    /** The publisher's part when the event could not be published (e.g. the server is shutting down). */
    public void failed(RuntimeException cause) {
        this.seq.completeExceptionally(cause);
    }

    /**
     * The seq, waiting up to {@code maxWait} for the publisher. A failure to publish is rethrown as it was thrown;
     * an event nobody published within the wait is an {@link IllegalStateException} (a wiring error, not a
     * client's mistake).
     */
    public long awaitSeq(Duration maxWait) {
        try {
            return seq.get(maxWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("publishing failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no publisher took the event within " + maxWait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the event's seq", e);
        }
    }

    /** The seq when the event was published; 0 when it is not (yet), or publishing failed. */
    public long seqIfPublished() {
        return seq.isDone() && !seq.isCompletedExceptionally() ? seq.getNow(0L) : 0;
    }

    public boolean isDone() {
        return seq.isDone();
    }
}
