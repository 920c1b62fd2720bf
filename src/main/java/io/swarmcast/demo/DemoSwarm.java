package io.swarmcast.demo;

import io.swarmcast.DaemonThreads;
import io.swarmcast.GuardedTask;
import io.swarmcast.SwarmcastProperties;
import io.swarmcast.admission.Admission;
import io.swarmcast.agent.AgentService;
import io.swarmcast.domain.DomainLock;
import io.swarmcast.memory.MemoryService;
import io.swarmcast.message.MessageBus;
import io.swarmcast.swarm.SwarmCoordinator;
import io.swarmcast.swarm.SwarmTopology;
import io.swarmcast.task.TaskService;
import lombok.extern.slf4j.Slf4j;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@link DemoScript} when {@code swarmcast.demo.enabled} is true ({@code --demo}): the swarm begins on
 * the first tick, then the script takes one step every {@code swarmcast.demo.tick}, on a thread of its own,
 * through the domain services only, so what the dashboards show is exactly what a real producer would cause.
 * A step that fails is logged and the next one runs; a swarm that cannot begin (its agent ids are taken) ends
 * the demo with an error in the log and leaves the server running.
 *
 * <p>A swarm started by someone else ({@code POST /api/swarm/init}, {@code bin/swarmcast swarm init}) replaces the
 * demo's: the coordinator stops the demo's agents, and the demo, seeing that the current swarm is no longer its
 * own, stops stepping (one INFO line) rather than drive agents of a swarm that is gone. Restart the server to
 * see the demo again. The same goes for a producer that reports a topology of its own.
 */
@Slf4j
@Component
@ConditionalOnProperty(prefix = "swarmcast.demo", name = "enabled", havingValue = "true")
class DemoSwarm implements SmartLifecycle {

    private final DemoScript script;
    private final SwarmcastProperties.Demo settings;
    private final Admission admission;
    private final SwarmCoordinator swarm;
    private final DomainLock lock;
    private ScheduledExecutorService ticker;
    private volatile boolean begun;
    private volatile boolean running;

    DemoSwarm(SwarmcastProperties properties, AgentService agents, TaskService tasks, MessageBus messages,
              MemoryService memory, SwarmCoordinator swarm, Admission admission, DomainLock lock) {
        this.settings = properties.demo();
        this.admission = admission;
        this.swarm = swarm;
        this.lock = lock;
        this.script = new DemoScript(agents, tasks, messages, memory, swarm, settings.seed(), settings.workers(),
                DemoScript.TOPOLOGY_EVERY);
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        ticker = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("swarmcast-demo"));
        long tick = Math.max(1, settings.tick().toMillis());
        ticker.scheduleWithFixedDelay(GuardedTask.of("demo step", this::tick), 0, tick, TimeUnit.MILLISECONDS);
        running = true;
        log.info("Demo swarm running: seed {}, a coordinator and {} workers, a step every {} ms", settings.seed(),
                settings.workers(), tick);
    }

    /** Stops taking steps and waits briefly for a step under way, so none runs while the services shut down. */
    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** The same phase as the event server and the metrics: events reach clients only through the event log anyway. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }

    private void tick() {
        if (!running) {
            return;
        }
        // Obeys the delivery bound like every producer: while delivery is behind (or the server is stopping),
        // the step waits for the next tick. It never waits under the domain lock.
        try (Admission.Ticket ticket = admission.tryAdmit(begun ? DemoScript.MAX_EVENTS_PER_STEP
                : DemoScript.maxEventsToBegin(settings.workers()))) {
            if (ticket == null) {
                log.debug("demo step skipped: delivery is behind or the server is stopping");
                return;
            }
            if (!begun) {
                begin();
                return;
            }
            // Under the domain lock, so a swarm init cannot slip in between the check and the step: once
            // replaced, the demo never touches the new swarm (a rewire step would otherwise rewire it).
            lock.run(() -> {
                if (replaced()) {
                    log.info("The demo swarm was replaced by another swarm (a swarm init, or a topology a producer "
                            + "reported), so the demo stops; restart the server to see it again");
                    ticker.shutdown(); // no further ticks; stop() still cleans up at shutdown
                    return;
                }
                log.debug("demo {}", script.step());
            });
        } catch (RuntimeException e) {
            log.warn("demo step failed; the next one runs as planned", e);
        }
    }

    /** Whether the current swarm is no longer the one the demo began. */
    private boolean replaced() {
        String ours = script.coordinatorId();
        return !swarm.current().map(SwarmTopology::coordinatorId).map(id -> id.equals(ours)).orElse(false);
    }

    private void begin() {
        try {
            log.info("demo {}", script.begin());
            begun = true;
        } catch (RuntimeException e) {
            log.error("The demo swarm could not begin, so the demo is off; the server runs on", e);
            ticker.shutdown();
        }
    }
}
