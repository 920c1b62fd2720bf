package io.swarmcast.admission;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.swarmcast.SwarmcastProperties;
import io.swarmcast.web.ApiError;
import io.swarmcast.web.ApiException;
import io.swarmcast.web.RejectionLog;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Lets a write in only while delivery has room for it, and not once the server is stopping. Every producer of
 * events asks here first, before it takes the domain lock: ingest and the command APIs (answered 503 when
 * refused), the demo swarm and the metrics publisher (which skip a step instead).
 *
 * <h2>The bound is hard</h2>
 * A write reserves room for the most events it can cause ({@link #EVENTS_PER_INGESTED_EVENT} per ingested event,
 * {@link #EVENTS_PER_COMMAND} per command, more where a handler says so with {@link AdmissionCost}) and keeps
 * the reservation until its events are in the delivery queue. It is admitted only if
 * {@code queued + reserved + its reservation <= max-backlog}, checked and reserved in one step; the delivery
 * thread only ever makes {@code queued} smaller. So however many writes pass admission at once, the events they
 * add never take the queue past {@code max-backlog}. The exceptions, both bounded: a single write whose
 * reservation is larger than the whole bound is admitted when nothing else is queued or reserved (so the queue
 * may hold that one write's events), and subscription changes from WebSocket clients are queued without
 * admission (they must not be refused; each is a client's own request, rate-limited per connection).
 *
 * <h2>Shutdown</h2>
 * {@link #close()} (on readiness going to refusing traffic, and from the event server's stop) refuses every
 * write from then on with {@code shutting_down}; {@link #awaitNoneInFlight} lets those already admitted finish
 * their append, so that the final flush carries them.
 */
@Component
public class Admission {

    /**
     * The most events one ingested event can cause: a {@code task:update} that finishes a task raises the task's
     * event, the agent's (its counters) and the topology's (its node recoloured).
     */
    public static final int EVENTS_PER_INGESTED_EVENT = 3;

    /**
     * What an ordinary command reserves unless it says more ({@link AdmissionCost}): the most any causes is 3
     * (assigning, completing or failing a task: the task, its agent, the agent's node), plus a margin of one.
     */
    public static final int EVENTS_PER_COMMAND = 4;

    private final DeliveryBacklog backlog;
    private final int maxBacklog;
    private final int retryAfterSeconds;
    private final Counter refusedOverloaded;
    private final Counter refusedShuttingDown;
    /** Guarded by {@code this}: events reserved by writes admitted and not yet done, and how many writes those are. */
    private long reserved;
    private int inFlight;
    private boolean closed;

    @Autowired
    public Admission(DeliveryBacklog backlog, SwarmcastProperties properties, MeterRegistry meters) {
        this(backlog, properties.admission().maxBacklog(), properties.admission().retryAfter(), meters);
    }

    Admission(DeliveryBacklog backlog, int maxBacklog, Duration retryAfter, MeterRegistry meters) {
        this.backlog = backlog;
        this.maxBacklog = maxBacklog;
        this.retryAfterSeconds = (int) Math.max(1, retryAfter.toSeconds());
        Gauge.builder("swarmcast.delivery.backlog", backlog, DeliveryBacklog::size)
                .description("work items waiting for the delivery thread").register(meters);
        this.refusedOverloaded = Counter.builder("swarmcast.admission.refused").tag("reason", ApiError.OVERLOADED)
                .description("writes refused by admission control").register(meters);
        this.refusedShuttingDown = Counter.builder("swarmcast.admission.refused").tag("reason", ApiError.SHUTTING_DOWN)
                .description("writes refused by admission control").register(meters);
    }

    /** A write's reservation: close it once the write's events are queued for delivery (or it failed). */
    public final class Ticket implements AutoCloseable {
        private final int events;
        private boolean released;

        private Ticket(int events) {
            this.events = events;
        }

        @Override
        public void close() {
            synchronized (Admission.this) {
                if (released) {
                    return;
                }
                released = true;
                reserved -= events;
                if (--inFlight == 0) {
                    Admission.this.notifyAll();
                }
            }
        }
    }

    /**
     * Admits a write that can cause up to {@code events} events, or refuses it with a 503 {@link ApiException}
     * ({@code overloaded} or {@code shutting_down}, with Retry-After). Never waits.
     */
    public Ticket admit(int events) {
        Ticket ticket = tryAdmit(events);
        if (ticket != null) {
            return ticket;
        }
        boolean stopping = isClosed();
        (stopping ? refusedShuttingDown : refusedOverloaded).increment();
        String code = stopping ? ApiError.SHUTTING_DOWN : ApiError.OVERLOADED;
        String message = stopping ? "the server is shutting down; nothing of this request was taken"
                : "event delivery is behind; nothing of this request was taken, try again after Retry-After";
        RejectionLog.info(code, "a write, {} events queued for delivery", backlog.size());
        throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, code, message, null, null, retryAfterSeconds);
    }

    /** Admits a write that can cause up to {@code events} events, or returns null. Never waits. */
    public synchronized Ticket tryAdmit(int events) {
        if (closed) {
            return null;
        }
        long queuedOrReserved = backlog.size() + reserved;
        if (queuedOrReserved + events > maxBacklog && queuedOrReserved > 0) {
            return null;
        }
        reserved += events;
        inFlight++;
        return new Ticket(events);
    }

    /**
     * For in-process producers (demo, benchmark), which hold no lock and may wait: admits once delivery has room,
     * or returns null when {@code maxWait} passes or the server is stopping.
     */
    public Ticket admitWaiting(int events, Duration maxWait) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (true) {
            Ticket ticket = tryAdmit(events);
            if (ticket != null || isClosed() || System.nanoTime() - deadline >= 0) {
                return ticket;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** Refuses every write from now on with {@code shutting_down}; those already admitted go on. */
    public synchronized void close() {
        closed = true;
    }

    /** Admits writes again (a lifecycle start after a stop). */
    public synchronized void open() {
        closed = false;
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /** Waits until every admitted write is done; false if some still run when {@code maxWait} passes. */
    public synchronized boolean awaitNoneInFlight(Duration maxWait) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (inFlight > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** The most the delivery queue holds from admitted writes (see the class comment for the two exceptions). */
    public int maxBacklog() {
        return maxBacklog;
    }

    /** The first step of a shutdown: once readiness refuses traffic, so do writes. */
    @EventListener
    void readinessChanged(AvailabilityChangeEvent<ReadinessState> change) {
        if (change.getState() == ReadinessState.REFUSING_TRAFFIC) {
            close();
        } else {
            open();
        }
    }
}
