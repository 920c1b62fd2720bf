package io.swarmcast.server;

import io.swarmcast.DaemonThreads;
import io.swarmcast.GuardedTask;
import io.swarmcast.SwarmcastProperties;
import io.swarmcast.admission.Admission;
import io.swarmcast.admission.DeliveryBacklog;
import io.swarmcast.domain.DomainLock;
import io.swarmcast.domain.Publication;
import io.swarmcast.event.AgentStatusEvent;
import io.swarmcast.event.DashboardEvent;
import io.swarmcast.event.MemoryOperationEvent;
import io.swarmcast.event.MessageSentEvent;
import io.swarmcast.event.MetricsUpdateEvent;
import io.swarmcast.event.TaskUpdateEvent;
import io.swarmcast.event.TopologyChangeEvent;
import io.swarmcast.log.EventLog;
import io.swarmcast.log.StoredEvent;
import io.swarmcast.web.ApiError;
import io.swarmcast.web.ApiException;
import lombok.extern.slf4j.Slf4j;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The event server of the original specification: {@code start}, {@code stop}, the {@code emit*} methods,
 * {@code broadcast} and {@code getConnectedClients}. Every durable event goes through the {@link EventLog},
 * whose tail feeds delivery; metrics are ephemeral and go straight to delivery. A {@link SmartLifecycle}
 * bean: it starts after the web server and stops before it, so clients get their queued frames and a
 * 1001 close before the port goes away.
 */
@Slf4j
@Component
public class EventServer implements SmartLifecycle {

    private final SwarmcastProperties properties;
    private final EventLog eventLog;
    private final FanOut fanOut;
    private final SessionRegistry registry;
    private final Connections connections;
    private final String serverId;
    private final Admission admission;
    private final DomainLock domainLock;
    private ScheduledExecutorService timers;
    private volatile boolean running;
    /**
     * Set by {@link #stop()} under the domain lock once every admitted write is done: from then on nothing is
     * appended, so nothing can be acknowledged after the final flush (a write still under way is refused).
     */
    private volatile boolean sealed;
    /**
     * The durable events published on this thread inside {@link #appendingTogether}, waiting for its end; null
     * outside one. Per thread, though only the domain lock's holder ever opens one.
     */
    private final ThreadLocal<List<Pending>> together = new ThreadLocal<>();

    private record Pending(DashboardEvent event, Publication publication) {
    }

    /** Its collaborators are beans ({@link EventServerConfiguration}), so a test or a shared log can replace one. */
    EventServer(SwarmcastProperties properties, EventLog eventLog, FanOut fanOut, SessionRegistry registry,
                Connections connections, ServerIdentity identity, Admission admission, DomainLock domainLock) {
        this.properties = properties;
        this.eventLog = eventLog;
        this.fanOut = fanOut;
        this.registry = registry;
        this.connections = connections;
        this.serverId = identity.serverId();
        this.admission = admission;
        this.domainLock = domainLock;
    }

    /** Publishes one event to every client subscribed to its channel. Returns its seq, or 0 for an ephemeral event. */
    public long broadcast(DashboardEvent event) {
        return broadcastAll(List.of(event)).get(0);
    }

    /**
     * Publishes several events; the durable ones enter the log together, with consecutive seqs. Never waits:
     * whoever produces events asked {@link Admission} first, before taking the domain lock.
     *
     * @return each event's seq, in the order given; 0 for ephemeral events
     * @throws ApiException 503 {@code shutting_down} once the server has stopped (nothing of it is appended)
     */
    public List<Long> broadcastAll(List<? extends DashboardEvent> events) {
        checkNotSealed();
        // Events published earlier in an appendingTogether go first, so delivery keeps the order of publishing.
        List<Pending> waiting = together.get();
        if (waiting != null) {
            appendTogether(waiting);
        }
        List<Long> seqs = new ArrayList<>(events.size());
        List<DashboardEvent> durableRun = new ArrayList<>(events.size());
        for (DashboardEvent event : events) {
            if (event.durable()) {
                durableRun.add(event);
            } else {
                // Append the durable events before it first, so delivery keeps the order given.
                appendRun(durableRun, seqs);
                fanOut.enqueueEphemeral(event);
                seqs.add(0L);
            }
        }
        appendRun(durableRun, seqs);
        fanOut.wake();
        return seqs;
    }

    /**
     * Publishes one event and completes its publication with the seq it got (or fails it, and throws, when it could
     * not be published). Inside {@link #appendingTogether} a durable event waits for the end of it, and the
     * publication is completed then.
     */
    public void publish(DashboardEvent event, Publication publication) {
        List<Pending> waiting = together.get();
        if (waiting != null && event.durable()) {
            try {
                checkNotSealed();
            } catch (RuntimeException e) {
                publication.failed(e);
                throw e;
            }
            waiting.add(new Pending(event, publication));
            return;
        }
        long seq;
        try {
            seq = broadcast(event);
        } catch (RuntimeException e) {
            publication.failed(e);
            throw e;
        }
        publication.published(seq);
    }

    /**
     * Runs {@code change}, which must hold the domain lock, and appends the durable events it {@link #publish}ed
     * together at its end: one append, so a shared log takes a whole ingest batch (and the events it caused) in one
     * round trip instead of one per event. Their order, and their seqs' order, is the order they were published in.
     * Their publications are completed when the log answers: before this returns with the in-memory log, later and
     * outside the lock with the Redis log ({@link EventLog#appendThen}), so the round trip is not spent holding the
     * domain lock; whoever needs the seqs waits for them after releasing it. The events are appended even when
     * {@code change} throws, since the state they describe has changed. When the append fails every one of them
     * fails and none is in the log; a failure known at once is also thrown here. Nested calls join the outermost one.
     */
    public <T> T appendingTogether(Supplier<T> change) {
        if (together.get() != null) {
            return change.get();
        }
        List<Pending> waiting = new ArrayList<>();
        together.set(waiting);
        T result;
        try {
            result = change.get();
        } catch (RuntimeException | Error e) {
            try {
                appendTogether(waiting);
            } catch (RuntimeException appendFailed) {
                e.addSuppressed(appendFailed);
            }
            throw e;
        } finally {
            together.remove();
        }
        appendTogether(waiting);
        return result;
    }

    private void appendTogether(List<Pending> waiting) {
        if (waiting.isEmpty()) {
            return;
        }
        List<DashboardEvent> run = new ArrayList<>(waiting.size());
        for (Pending pending : waiting) {
            run.add(pending.event());
        }
        List<Pending> taken = new ArrayList<>(waiting);
        waiting.clear();
        try {
            checkNotSealed();
            // The order is fixed here, under the lock; a shared log answers later, outside it (EventLog.appendThen).
            eventLog.appendThen(run, new EventLog.Appended() {
                @Override
                public void stored(List<StoredEvent> stored) {
                    fanOut.wake();
                    for (int i = 0; i < taken.size(); i++) {
                        taken.get(i).publication().published(stored.get(i).seq());
                    }
                }

                @Override
                public void failed(RuntimeException cause) {
                    for (Pending pending : taken) {
                        pending.publication().failed(cause);
                    }
                }
            });
        } catch (RuntimeException e) {
            for (Pending pending : taken) {
                pending.publication().failed(e);
            }
            throw e;
        }
    }

    private void checkNotSealed() {
        if (sealed) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, ApiError.SHUTTING_DOWN,
                    "the server is shutting down; nothing of this request was taken", null, null,
                    (int) Math.max(1, properties.admission().retryAfter().toSeconds()));
        }
    }

    private void appendRun(List<DashboardEvent> run, List<Long> seqs) {
        if (run.isEmpty()) {
            return;
        }
        for (StoredEvent stored : eventLog.append(run)) {
            seqs.add(stored.seq());
        }
        run.clear();
    }

    public long emitAgentStatus(AgentStatusEvent event) {
        return broadcast(event);
    }

    public long emitTaskUpdate(TaskUpdateEvent event) {
        return broadcast(event);
    }

    public long emitMessage(MessageSentEvent event) {
        return broadcast(event);
    }

    public long emitMemoryOperation(MemoryOperationEvent event) {
        return broadcast(event);
    }

    public long emitTopologyChange(TopologyChangeEvent event) {
        return broadcast(event);
    }

    /** Metrics are ephemeral: delivered live and kept as the channel's snapshot, never stored or replayed. */
    public void emitMetrics(MetricsUpdateEvent event) {
        broadcast(event);
    }

    public int getConnectedClients() {
        return registry.size();
    }

    public String serverId() {
        return serverId;
    }

    public String epoch() {
        return eventLog.epoch();
    }

    public long newestSeq() {
        return eventLog.newestSeq();
    }

    public int historySize() {
        return eventLog.size();
    }

    Connections connections() {
        return connections;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        fanOut.start();
        timers = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("swarmcast-heartbeat"));
        long heartbeat = properties.heartbeatInterval().toMillis();
        timers.scheduleAtFixedRate(GuardedTask.of("heartbeat", connections::heartbeat), heartbeat, heartbeat, TimeUnit.MILLISECONDS);
        long sendCheck = Math.max(50, Math.min(1000, properties.limits().sendTimeLimit().toMillis() / 4));
        timers.scheduleAtFixedRate(GuardedTask.of("send watchdog", connections::checkSends), sendCheck, sendCheck, TimeUnit.MILLISECONDS);
        timers.scheduleAtFixedRate(GuardedTask.of("unsubscribed check", connections::closeUnsubscribed), 1, 1, TimeUnit.SECONDS);
        connections.startAccepting();
        sealed = false;
        admission.open();
        running = true;
        log.info("Swarmcast event server {} running: epoch {}, history {} events, max {} clients", serverId,
                eventLog.epoch(), properties.historySize(), properties.maxConnections());
    }

    /**
     * Shuts down without losing an acknowledged event: (1) writes are refused with 503 {@code shutting_down}
     * (readiness went down before, which closed admission already); (2) writes already admitted get up to the
     * flush timeout to append; (3) the log is sealed under the domain lock, so a write still under way is
     * refused rather than appended after the flush; (4) queued frames get up to the flush timeout to go out;
     * (5) every client is closed with 1001.
     */
    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        admission.close();
        if (!admission.awaitNoneInFlight(properties.limits().shutdownFlushTimeout())) {
            log.warn("writes admitted before the shutdown are still under way after {}; they will be refused",
                    properties.limits().shutdownFlushTimeout());
        }
        domainLock.run(() -> sealed = true);
        connections.stopAccepting();
        long deadline = System.nanoTime() + properties.limits().shutdownFlushTimeout().toNanos();
        while (!(fanOut.isIdle() && connections.allIdle()) && System.nanoTime() < deadline) {
            sleepQuietly(10);
        }
        connections.closeAll(CloseReason.SHUTDOWN);
        timers.shutdownNow();
        // Closing happens on the blocking-send threads; wait for the container to confirm each close.
        deadline = System.nanoTime() + properties.limits().shutdownFlushTimeout().toNanos();
        while (registry.size() > 0 && System.nanoTime() < deadline) {
            sleepQuietly(10);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts after the web server and, stopping in reverse, closes clients before the web server goes. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
