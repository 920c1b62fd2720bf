package io.swarmcast.publish;

import io.swarmcast.DaemonThreads;
import io.swarmcast.GuardedTask;
import io.swarmcast.SwarmcastProperties;
import io.swarmcast.admission.Admission;
import io.swarmcast.event.MetricsUpdateEvent;
import io.swarmcast.event.TaskStatus;
import io.swarmcast.server.EventServer;
import io.swarmcast.swarm.Swarm;
import io.swarmcast.swarm.Swarms;
import lombok.extern.slf4j.Slf4j;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Emits {@code metrics:update} every second, whether anything happens or not. Each tick is scheduled for
 * its own slot on a fixed grid (start + n seconds) on a thread of its own, so ticks neither drift nor bunch
 * up: a tick that runs late does not pull the next one earlier, and slots missed under load are skipped
 * rather than fired back to back. Each tick is also kept in {@link MetricsHistory} for
 * {@code GET /api/metrics/history}. {@code connectedClients} comes from the {@link ClientCount} bean: this
 * instance's clients, or with the Redis log those of every instance sharing it.
 */
@Slf4j
@Component
public class MetricsPublisher implements SmartLifecycle {

    static final long PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** One guard for every tick, so repeated failures are counted and logged at most once a minute. */
    private final Runnable guardedTick = GuardedTask.of("metrics tick", this::tick);
    private final EventServer server;
    private final Swarms swarms;
    private final MetricsHistory history;
    private final Admission admission;
    private final ClientCount clientCount;
    private final boolean enabled;
    private final AtomicReference<MetricsUpdateEvent> latest = new AtomicReference<>();
    /** The newest tick of every swarm but the default one, by internal id. */
    private final Map<String, MetricsUpdateEvent> latestOfOthers = new ConcurrentHashMap<>();
    private ScheduledExecutorService ticker;
    private long gridStartNanos;
    private long lastSeq;
    private long lastTickNanos;
    private volatile boolean running;

    MetricsPublisher(EventServer server, Swarms swarms, MetricsHistory history, Admission admission,
                     ClientCount clientCount,
                     SwarmcastProperties properties) {
        this.server = server;
        this.swarms = swarms;
        this.history = history;
        this.admission = admission;
        this.clientCount = clientCount;
        this.enabled = properties.metricsEnabled();
    }

    /** The metrics of the newest tick, or of now if none ran yet. */
    public MetricsUpdateEvent latest() {
        MetricsUpdateEvent newest = latest.get();
        return newest != null ? newest : measure(System.nanoTime(), false);
    }

    /** The metrics of one swarm's newest tick, or of now if none ran yet for it (docs/protocol.md 7.15). */
    public MetricsUpdateEvent latest(Swarm swarm) {
        if (swarm.isDefault()) {
            return latest();
        }
        MetricsUpdateEvent newest = latestOfOthers.get(swarm.id());
        return newest != null ? newest : of(swarm, clientCount.connectedClients(), 0.0, System.currentTimeMillis());
    }

    @Override
    public synchronized void start() {
        if (!enabled) {
            return;
        }
        ticker = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("swarmcast-metrics"));
        gridStartNanos = System.nanoTime();
        lastTickNanos = gridStartNanos;
        lastSeq = server.newestSeq();
        running = true;
        scheduleNext();
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        ticker.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void tick() {
        if (!running) {
            return;
        }
        try {
            MetricsUpdateEvent metrics = measure(System.nanoTime(), true);
            latest.set(metrics);
            history.record(metrics);
            // Every other swarm gets its own tick, with its swarmId, at the same time; the server-wide figures
            // (connectedClients, eventsPerSecond) are the same in each.
            List<MetricsUpdateEvent> ticks = new ArrayList<>();
            ticks.add(metrics);
            for (Swarm swarm : swarms.all()) {
                if (!swarm.isDefault()) {
                    MetricsUpdateEvent ofSwarm = of(swarm, metrics.connectedClients(), metrics.eventsPerSecond(),
                            metrics.timestamp());
                    latestOfOthers.put(swarm.id(), ofSwarm);
                    ticks.add(ofSwarm);
                }
            }
            // Obeys the delivery bound like every producer: while delivery is behind, the tick is skipped
            // (GET /api/state still shows it); the next one, a second later, tries again.
            try (Admission.Ticket ticket = admission.tryAdmit(ticks.size())) {
                if (ticket != null) {
                    server.broadcastAll(ticks);
                }
            }
        } finally {
            // The next tick is scheduled from here whatever happened; the guard logs what did.
            scheduleNext();
        }
    }

    /** Schedules the next tick at the next grid slot still in the future. */
    private void scheduleNext() {
        if (!running) {
            return;
        }
        long now = System.nanoTime();
        long slotsPassed = (now - gridStartNanos) / PERIOD_NANOS + 1;
        long next = gridStartNanos + slotsPassed * PERIOD_NANOS;
        ticker.schedule(guardedTick, next - now, TimeUnit.NANOSECONDS);
    }

    /** @param advance whether this is a tick, which starts the next interval for eventsPerSecond */
    private synchronized MetricsUpdateEvent measure(long nowNanos, boolean advance) {
        long seq = server.newestSeq();
        double seconds = Math.max(1e-3, (nowNanos - lastTickNanos) / 1e9);
        double eventsPerSecond = (seq - lastSeq) / seconds;
        if (advance) {
            lastSeq = seq;
            lastTickNanos = nowNanos;
        }
        return of(swarms.defaultSwarm(), clientCount.connectedClients(), Math.round(eventsPerSecond * 10) / 10.0,
                System.currentTimeMillis());
    }

    private static MetricsUpdateEvent of(Swarm swarm, Integer connectedClients, Double eventsPerSecond, long timestamp) {
        return new MetricsUpdateEvent(swarm.agents().activeCount(), swarm.tasks().countWithStatus(TaskStatus.PENDING),
                swarm.messages().messagesPerSecond(), swarm.memory().operationsPerSecond(), connectedClients,
                eventsPerSecond, timestamp, null, swarm.id());
    }
}
