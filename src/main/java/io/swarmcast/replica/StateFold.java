package io.swarmcast.replica;

import io.swarmcast.agent.Agent;
import io.swarmcast.agent.AgentService;
import io.swarmcast.domain.DomainLock;
import io.swarmcast.event.AgentMetrics;
import io.swarmcast.event.AgentStatus;
import io.swarmcast.event.AgentStatusEvent;
import io.swarmcast.event.DashboardEvent;
import io.swarmcast.event.MemoryOperationEvent;
import io.swarmcast.event.MessageSentEvent;
import io.swarmcast.event.MetricsUpdateEvent;
import io.swarmcast.event.PassThroughEvent;
import io.swarmcast.event.TaskUpdateEvent;
import io.swarmcast.event.TopologyChangeEvent;
import io.swarmcast.log.StateTailListener;
import io.swarmcast.log.StoredEvent;
import io.swarmcast.memory.MemoryService;
import io.swarmcast.message.Message;
import io.swarmcast.swarm.SwarmCoordinator;
import io.swarmcast.swarm.Swarm;
import io.swarmcast.swarm.SwarmTopology;
import io.swarmcast.swarm.Swarms;
import io.swarmcast.task.Task;
import io.swarmcast.task.TaskService;
import lombok.extern.slf4j.Slf4j;

import java.util.List;
import java.util.Optional;

/**
 * Folds the shared log into the domain services: each event the tail delivers, in seq order, sets the entity it
 * carries (an {@code agent:status} the agent, a {@code task:update} the task, a {@code topology:change} the whole
 * topology, a memory write or delete the entry) through the services' {@code restore} methods, which raise nothing:
 * whatever the change caused on the instance that made it (an agent joining the topology, a task's agent made busy)
 * is in the log as events of its own. A {@code message:sent} only counts toward its agents' message counts.
 *
 * <p>So every instance ends up with the entity of the highest seq: the later of two conflicting commands wins
 * everywhere. This instance's own changes, already in its services, are not applied again, and an older event of
 * another instance does not set an entity back while this instance's newer change is on its way ({@link OwnWrites}).
 * Runs on the tail's thread, under the domain lock, before the event is queued for delivery.
 */
@Slf4j
final class StateFold implements StateTailListener, DashboardEvent.Visitor<Void> {

    private final DomainLock lock;
    private final Swarms swarms;
    private final OwnWrites own;
    /** The swarm of the event being applied, and its services: set for each event under the lock. */
    private String swarmId;
    private AgentService agents;
    private TaskService tasks;
    private SwarmCoordinator swarm;
    private MemoryService memory;
    /** Read by the checkpointer under the lock. */
    private long appliedSeq;
    private long applied;
    private long seq;
    private Runnable afterApply = () -> { };

    StateFold(DomainLock lock, Swarms swarms, OwnWrites own) {
        this.lock = lock;
        this.swarms = swarms;
        this.own = own;
    }

    /** Called after each event applied, outside the lock (the checkpointer counts). */
    void afterApply(Runnable action) {
        this.afterApply = action;
    }

    @Override
    public void appended(StoredEvent event) {
        apply(event);
        afterApply.run();
    }

    /** Applies one event of the log (from the tail, or read at startup). */
    void apply(StoredEvent event) {
        lock.run(() -> {
            seq = event.seq();
            own.settle();
            try {
                // Into the services of the event's swarm, made here if this instance has not seen it yet.
                Swarm target = swarms.obtainFromLog(event.event().swarmId());
                swarmId = target.id();
                agents = target.agents();
                tasks = target.tasks();
                swarm = target.coordinator();
                memory = target.memory();
                event.event().accept(this);
            } catch (RuntimeException e) {
                // One bad event must not stop the fold (nor the delivery behind it).
                log.error("event {} could not be folded into the state: {}", event.seq(), e.toString());
            }
            appliedSeq = event.seq();
            applied++;
            own.forgetUpTo(appliedSeq);
        });
    }

    @Override
    public void historyBroken(String epoch, long fromSeq) {
        // The state stays (the services keep what they knew); the new epoch's seqs restart, so own seqs mean nothing.
        lock.run(() -> {
            own.clear();
            appliedSeq = fromSeq - 1;
        });
    }

    /** The seq of the newest event applied; read under the domain lock. */
    long appliedSeq() {
        return appliedSeq;
    }

    /** Starts the fold after a checkpoint (or nothing) of this seq. */
    void startAt(long seq) {
        lock.run(() -> appliedSeq = seq);
    }

    long appliedCount() {
        return lock.call(() -> applied);
    }

    /** Whether this instance's own changes are ahead of the fold (the state is then not the fold at appliedSeq). */
    boolean ownChangesAhead() {
        return own.ahead(appliedSeq);
    }

    @Override
    public Void agentStatus(AgentStatusEvent event) {
        if (!own.apply(OwnWrites.agent(swarmId, event.agentId()), seq)) {
            return null;
        }
        Optional<Agent> known = agents.find(event.agentId());
        AgentMetrics m = event.metrics();
        Agent.Metrics metrics = m == null ? known.map(Agent::metrics).orElse(Agent.Metrics.NONE)
                : new Agent.Metrics(or(m.cpu()), or(m.memory()), or(m.messageCount()), or(m.tasksCompleted()),
                        or(m.tasksFailed()));
        AgentStatus status = event.status() != null ? event.status() : AgentStatus.ACTIVE;
        // Capabilities are not in the event: kept when known here, else none.
        List<String> capabilities = known.map(Agent::capabilities).orElse(List.of());
        long createdAt = event.createdAt() != null ? event.createdAt()
                : known.map(Agent::createdAt).orElse(event.timestamp());
        // Whether a client stated the status is not in the event either: kept when known here. An agent first seen
        // through the log takes the inferred rule until a client states its status on this instance.
        boolean statusReported = known.map(Agent::statusReported).orElse(false);
        agents.restore(new Agent(event.agentId(), event.name() != null ? event.name() : event.agentId(),
                event.agentType() != null ? event.agentType() : "agent", status, event.task(), capabilities, metrics,
                createdAt, event.timestamp(), statusReported));
        return null;
    }

    @Override
    public Void taskUpdate(TaskUpdateEvent event) {
        if (!own.apply(OwnWrites.task(swarmId, event.taskId()), seq)) {
            return null;
        }
        tasks.restore(new Task(event.taskId(), event.description() != null ? event.description() : "",
                event.taskType(), event.priority(), event.status(), event.agentId(), event.progress(), event.error(),
                event.createdAt() != null ? event.createdAt() : event.timestamp(), event.startTime(), event.endTime(),
                event.timestamp()));
        return null;
    }

    @Override
    public Void messageSent(MessageSentEvent event) {
        if (event.messageId() != null && !own.apply(OwnWrites.message(swarmId, event.messageId()), seq)) {
            return null;
        }
        agents.messageCounted(event.source());
        if (event.target() != null && !Message.EVERYONE.equals(event.target()) && !event.target().equals(event.source())) {
            agents.messageCounted(event.target());
        }
        return null;
    }

    @Override
    public Void memoryOperation(MemoryOperationEvent event) {
        boolean succeeded = event.success() != null ? event.success() : event.error() == null;
        if (!succeeded || event.key() == null || event.namespace() == null) {
            return null;
        }
        switch (event.operation()) {
            case STORE, UPDATE -> {
                if (event.value() != null && own.apply(OwnWrites.memory(swarmId, event.namespace(), event.key()), seq)) {
                    memory.restore(event.namespace(), event.key(), event.value(), event.timestamp());
                }
            }
            case DELETE -> {
                if (own.apply(OwnWrites.memory(swarmId, event.namespace(), event.key()), seq)) {
                    memory.restore(event.namespace(), event.key(), null, event.timestamp());
                }
            }
            default -> {
                // Reads change nothing.
            }
        }
        return null;
    }

    @Override
    public Void topologyChange(TopologyChangeEvent event) {
        if (!own.apply(OwnWrites.topology(swarmId), seq) || event.topology() == null) {
            return null;
        }
        swarm.restore(SwarmTopology.of(event));
        return null;
    }

    @Override
    public Void metricsUpdate(MetricsUpdateEvent event) {
        return null;
    }

    @Override
    public Void passThrough(PassThroughEvent event) {
        return null;
    }

    private static double or(Double value) {
        return value == null ? 0 : value;
    }

    private static long or(Long value) {
        return value == null ? 0 : value;
    }
}
