package io.swarmcast.trace;

import io.swarmcast.event.Trace;
import org.springframework.stereotype.Component;

/**
 * The causal link of the change being made on this thread, so that every event the change causes carries it: an
 * ingested {@code task:update} with a {@code traceId} makes the task's own event, the agent's {@code agent:status}
 * and the recoloured {@code topology:change} all members of that trace. Whoever starts a change on a producer's
 * behalf opens it (the ingest sink, per event; the command API's {@link TraceHeaderInterceptor}, per request), and
 * {@code DashboardEventPublisher} stamps {@link #current()} on each event it builds.
 *
 * <p>A thread-local is enough here, and honest, because of how a change runs: a service changes its state and
 * raises its domain events synchronously, on the caller's thread, under the one domain lock, and every listener
 * (the publisher, the coordinator) runs inside that call. Nothing of a change crosses to another thread before its
 * events are built. Threads that change state on nobody's behalf (the demo, the memory purge, the metrics tick)
 * never open a scope, so their events carry no link.
 */
@Component
public class TraceScope {

    private final ThreadLocal<Trace> current = new ThreadLocal<>();

    /** The link of the change under way on this thread, or null. */
    public Trace current() {
        return current.get();
    }

    /**
     * Makes {@code trace} (null for none) the current link until the returned scope is closed, which restores the
     * one before. Use it with try-with-resources, around the service call and nothing else.
     */
    public Open open(Trace trace) {
        Trace outer = current.get();
        set(trace);
        return () -> set(outer);
    }

    private void set(Trace trace) {
        if (trace == null) {
            current.remove();
        } else {
            current.set(trace);
        }
    }

    /** A scope that closes without an exception. */
    @FunctionalInterface
    public interface Open extends AutoCloseable {
        @Override
        void close();
    }
}
