package io.swarmcast.replica;

import io.swarmcast.DaemonThreads;
import io.swarmcast.agent.Agent;
import io.swarmcast.agent.AgentService;
import io.swarmcast.domain.DomainLock;
import io.swarmcast.event.AgentMetrics;
import io.swarmcast.event.AgentStatusEvent;
import io.swarmcast.event.Channel;
import io.swarmcast.event.DashboardEvent;
import io.swarmcast.event.MemoryOperationEvent;
import io.swarmcast.event.MemoryOperationType;
import io.swarmcast.event.TaskUpdateEvent;
import io.swarmcast.event.TopologyChangeEvent;
import io.swarmcast.log.History;
import io.swarmcast.log.StoredEvent;
import io.swarmcast.log.redis.RedisEventLog;
import io.swarmcast.memory.MemoryEntry;
import io.swarmcast.memory.MemoryService;
import io.swarmcast.swarm.Swarm;
import io.swarmcast.swarm.SwarmCoordinator;
import io.swarmcast.swarm.Swarms;
import io.swarmcast.task.Task;
import io.swarmcast.task.TaskService;
import io.swarmcast.timeline.Timeline;
import lombok.extern.slf4j.Slf4j;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Brings the state in at startup and writes checkpoints. Started before the event log's tail (and so before the
 * web server and readiness): loads the checkpoint when it belongs to the log's epoch, applies it, then the events
 * after it up to where the tail will start; the tail then goes on live. A checkpoint is written after
 * {@code checkpoint-every} events applied or {@code checkpoint-interval} after the last, and once more at shutdown,
 * and only when the state is exactly the fold at the applied seq (no change of this instance still on its way
 * through the log), so that whoever loads it and reads the events after it gets the same state.
 */
@Slf4j
public final class ReplicatedState implements SmartLifecycle {

    private static final Set<Channel> DURABLE = Arrays.stream(Channel.values()).filter(Channel::durable)
            .collect(Collectors.toCollection(() -> EnumSet.noneOf(Channel.class)));

    private final RedisEventLog eventLog;
    private final StateFold fold;
    private final CheckpointStore checkpoints;
    private final DomainLock lock;
    private final Swarms swarms;
    private final int every;
    private final Duration interval;
    private final Timeline timeline;
    private final AtomicBoolean writeQueued = new AtomicBoolean();
    private ScheduledExecutorService writer;
    private volatile boolean running;
    private volatile long checkpointLoaded = -1;
    private volatile long lastWrittenSeq = -1;
    private volatile long appliedAtLastWrite;

    ReplicatedState(RedisEventLog log, StateFold fold, CheckpointStore checkpoints, DomainLock lock,
                    Swarms swarms, int every, Duration interval, Timeline timeline) {
        this.eventLog = log;
        this.fold = fold;
        this.checkpoints = checkpoints;
        this.lock = lock;
        this.swarms = swarms;
        this.every = every;
        this.interval = interval;
        this.timeline = timeline;
        fold.afterApply(this::eventApplied);
    }

    /** The seq of the checkpoint this instance started from, or -1 when it started without one. */
    public long checkpointLoaded() {
        return checkpointLoaded;
    }

    /** The seq of the newest checkpoint this instance wrote, or -1. */
    public long lastWrittenSeq() {
        return lastWrittenSeq;
    }

    @Override
    public void start() {
        catchUp();
        writer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("swarmcast-checkpoint"));
        long period = Math.max(1, interval.toMillis());
        writer.scheduleWithFixedDelay(this::writeIfChanged, period, period, TimeUnit.MILLISECONDS);
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        if (writer != null) {
            writer.shutdownNow();
            try {
                writer.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // The tail has stopped (it stops before this): leave the newest state for whoever starts next.
        writeIfChanged();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Just before the event log (which starts the tail), so the tail goes on from where the catching up ended. */
    @Override
    public int getPhase() {
        return eventLog.getPhase() - 1;
    }

    private void catchUp() {
        String epoch = eventLog.epoch();
        if (epoch.isEmpty()) {
            log.warn("the event log was unreachable at start: the state starts empty and follows the live events");
            return;
        }
        long upTo = eventLog.tailSeq();
        long from = 0;
        try {
            CheckpointStore.Checkpoint checkpoint = checkpoints.read();
            if (checkpoint != null && checkpoint.epoch().equals(epoch) && checkpoint.seq() <= upTo) {
                for (DashboardEvent event : checkpoint.state()) {
                    fold.apply(new StoredEvent(checkpoint.seq(), event));
                }
                from = checkpoint.seq();
                checkpointLoaded = from;
                lastWrittenSeq = from;
            }
        } catch (RuntimeException e) {
            log.warn("the state checkpoint could not be read, the state is rebuilt from the log: {}", e.toString());
        }
        fold.startAt(from);
        History history = eventLog.readAfter(from, upTo, DURABLE, Integer.MAX_VALUE);
        if (!history.reachesBack()) {
            log.warn("the log no longer holds every event after seq {}: the state misses what was trimmed", from);
        }
        for (StoredEvent event : history.events()) {
            fold.apply(event);
        }
        fold.startAt(upTo);
        appliedAtLastWrite = fold.appliedCount();
        // The timeline's tail starts where this catch-up ended: it goes on from the same state (a pure fold of it).
        // It folds the default swarm only (docs/architecture.md, Several swarms), so it starts from that swarm's.
        lock.run(() -> {
            Swarm defaults = swarms.defaultSwarm();
            timeline.startFrom(upTo, defaults.agents().list(), defaults.tasks().all(),
                    defaults.coordinator().current().orElse(null), defaults.memory().allEntries());
        });
        log.info("state caught up to seq {} of epoch {}: checkpoint at seq {}, then {} events", upTo, epoch,
                checkpointLoaded, history.events().size());
    }

    private void eventApplied() {
        if (running && fold.appliedCount() - appliedAtLastWrite >= every && writeQueued.compareAndSet(false, true)) {
            try {
                writer.execute(() -> {
                    writeQueued.set(false);
                    writeIfChanged();
                });
            } catch (RuntimeException e) {
                writeQueued.set(false); // shutting down
            }
        }
    }

    private void writeIfChanged() {
        record Taken(long seq, long applied, List<DashboardEvent> state) {
        }
        Taken taken = lock.call(() -> {
            long seq = fold.appliedSeq();
            if (seq <= lastWrittenSeq || fold.ownChangesAhead()) {
                return null; // nothing new, or our own changes are not folded yet: next time
            }
            return new Taken(seq, fold.appliedCount(), state());
        });
        if (taken == null) {
            return;
        }
        try {
            checkpoints.write(taken.seq(), eventLog.epoch(), taken.state());
            lastWrittenSeq = taken.seq();
            appliedAtLastWrite = taken.applied();
        } catch (RuntimeException e) {
            log.warn("the state checkpoint could not be written (next attempt later): {}", e.toString());
        }
    }

    /** The state of every swarm as events, each with its swarm's id (none for the default swarm). */
    private List<DashboardEvent> state() {
        List<DashboardEvent> state = new ArrayList<>();
        for (Swarm swarm : swarms.all()) {
            for (DashboardEvent event : state(swarm.agents(), swarm.tasks(), swarm.coordinator(), swarm.memory())) {
                state.add(swarm.isDefault() ? event : event.withSwarmId(swarm.id()));
            }
        }
        return state;
    }

    /** One swarm's state as events: agents first (the topology refers to them), then tasks, the topology, memory. */
    private static List<DashboardEvent> state(AgentService agents, TaskService tasks, SwarmCoordinator swarm,
                                              MemoryService memory) {
        List<DashboardEvent> state = new ArrayList<>();
        for (Agent agent : agents.list()) {
            Agent.Metrics m = agent.metrics();
            state.add(AgentStatusEvent.builder().agentId(agent.id()).name(agent.name()).agentType(agent.type())
                    .status(agent.status()).task(agent.currentTask())
                    .metrics(AgentMetrics.builder().cpu(m.cpu()).memory(m.memory()).messageCount(m.messageCount())
                            .tasksCompleted(m.tasksCompleted()).tasksFailed(m.tasksFailed()).build())
                    .createdAt(agent.createdAt()).timestamp(agent.lastActivity()).build());
        }
        for (Task task : tasks.all()) {
            state.add(TaskUpdateEvent.builder().taskId(task.id()).status(task.status()).agentId(task.assignedAgent())
                    .description(task.description()).progress(task.progress()).error(task.error())
                    .startTime(task.startTime()).endTime(task.endTime()).createdAt(task.createdAt())
                    .taskType(task.type()).priority(task.priority()).timestamp(task.updatedAt()).build());
        }
        swarm.current().ifPresent(topology -> state.add(new TopologyChangeEvent(topology.topology(),
                topology.nodes().stream().map(n -> new TopologyChangeEvent.Node(n.id(), n.name(), n.type(), n.status())).toList(),
                topology.edges().stream().map(e -> new TopologyChangeEvent.Edge(e.source(), e.target(), e.health())).toList(),
                topology.timestamp())));
        for (MemoryEntry entry : memory.allEntries()) {
            state.add(MemoryOperationEvent.builder().operation(MemoryOperationType.STORE).namespace(entry.namespace())
                    .key(entry.key()).value(entry.value()).success(true).resultCount(1).timestamp(entry.updatedAt())
                    .build());
        }
        return state;
    }
}
