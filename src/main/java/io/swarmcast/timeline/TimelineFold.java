package io.swarmcast.timeline;

import io.swarmcast.agent.Agent;
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
import io.swarmcast.log.StoredEvent;
import io.swarmcast.memory.MemoryEntry;
import io.swarmcast.message.Message;
import io.swarmcast.swarm.SwarmTopology;
import io.swarmcast.task.Task;

import java.util.ArrayList;
import java.util.List;

/**
 * The pure fold of the event log into a {@link PointState}: each event sets the entity it carries, as the shared
 * log's fold sets the services (io.swarmcast.replica.StateFold), but into values of its own, independent of the live
 * services. An {@code agent:status} sets the agent, a {@code task:update} the task, a typed {@code topology:change}
 * the topology, a successful memory store, update or delete the entry; a {@code message:sent} counts toward its
 * agents' message counts. Metrics and pass-through events change nothing but the point's seq and time.
 *
 * <p>Mutable and single-threaded; {@link #freeze()} takes an immutable value in O(1) that shares everything with
 * the fold, and {@link #from(PointState)} goes on from one.
 */
final class TimelineFold implements DashboardEvent.Visitor<Void> {

    private final SharedMap<PointState.AgentAt> agents;
    private final SharedMap<Task> tasks;
    private final SharedMap<MemoryEntry> memory;
    private SwarmTopology topology;
    private long seq;
    private long timestamp;
    private long maxTimestamp;
    private long registrations;
    private long rateSecond;
    private int messagesInSecond;
    private int memoryOpsInSecond;

    private TimelineFold(PointState from) {
        this.agents = from.agentMap().thaw();
        this.tasks = from.taskMap().thaw();
        this.memory = from.memoryMap().thaw();
        this.topology = from.topology();
        this.seq = from.seq();
        this.timestamp = from.timestamp();
        this.maxTimestamp = from.maxTimestamp();
        this.registrations = from.registrations();
        this.rateSecond = from.rateSecond();
        this.messagesInSecond = from.messagesInSecond();
        this.memoryOpsInSecond = from.memoryOpsInSecond();
    }

    /** A fold that goes on from {@code state} (nothing is copied until it is written). */
    static TimelineFold from(PointState state) {
        return new TimelineFold(state);
    }

    /** A fold of nothing yet, whose next event is {@code seq + 1}. */
    static TimelineFold startingAt(long seq) {
        return new TimelineFold(PointState.empty(seq));
    }

    /**
     * A fold that goes on from a state given whole (the live services' after a catch-up), as the fold of the log up to
     * {@code seq}. Only what the log carries is kept: agents lose their capabilities, as the fold never has them.
     */
    static TimelineFold seeded(long seq, List<Agent> agents, List<Task> tasks, SwarmTopology topology,
                               List<MemoryEntry> memory) {
        TimelineFold fold = startingAt(seq);
        for (Agent a : agents) {
            fold.agents.put(a.id(), new PointState.AgentAt(new Agent(a.id(), a.name(), a.type(), a.status(),
                    a.currentTask(), List.of(), a.metrics(), a.createdAt(), a.lastActivity(), false), ++fold.registrations));
            fold.maxTimestamp = Math.max(fold.maxTimestamp, a.lastActivity());
        }
        for (Task task : tasks) {
            fold.tasks.put(task.id(), task);
            fold.maxTimestamp = Math.max(fold.maxTimestamp, task.updatedAt());
        }
        fold.topology = topology;
        if (topology != null) {
            fold.maxTimestamp = Math.max(fold.maxTimestamp, topology.timestamp());
        }
        for (MemoryEntry entry : memory) {
            fold.memory.put(entry.namespace() + '\u0000' + entry.key(), new MemoryEntry(entry.namespace(), entry.key(),
                    entry.value(), entry.createdAt(), entry.updatedAt(), null));
            fold.maxTimestamp = Math.max(fold.maxTimestamp, entry.updatedAt());
        }
        fold.timestamp = fold.maxTimestamp;
        return fold;
    }

    long seq() {
        return seq;
    }

    long maxTimestamp() {
        return maxTimestamp;
    }

    /** Folds one event of the log in. Events come in seq order; a bad one changes nothing but the seq. */
    void apply(StoredEvent stored) {
        DashboardEvent event = stored.event();
        seq = stored.seq();
        timestamp = event.timestamp();
        maxTimestamp = Math.max(maxTimestamp, timestamp);
        if (event.swarmId() == null) {
            // The fold is the default swarm's state: another swarm's event only moves the point along the log
            // (docs/protocol.md 7.13; per-swarm points would need a fold and checkpoints per swarm).
            event.accept(this);
        }
    }

    /** Sets the seq without an event: the log restarted its seqs (a new epoch) and the state goes on from here. */
    void renumber(long newSeq) {
        seq = newSeq;
    }

    /** The state now, as an immutable value. O(1): later writes copy what they change. */
    PointState freeze() {
        return new PointState(seq, timestamp, maxTimestamp, agents.freeze(), tasks.freeze(), memory.freeze(), topology,
                registrations, rateSecond, messagesInSecond, memoryOpsInSecond);
    }

    /**
     * Forgets finished tasks that left the active set more than {@code retentionMillis} before the newest time seen:
     * no later point shows them (its time is at least this one), and the fold stays as bounded as the live set.
     */
    void forgetFinishedTasks(long retentionMillis) {
        long cutoff = maxTimestamp - retentionMillis;
        List<String> gone = new ArrayList<>();
        tasks.forEach((id, task) -> {
            if (task.isFinished() && PointState.endOf(task) < cutoff) {
                gone.add(id);
            }
        });
        gone.forEach(tasks::remove);
    }

    @Override
    public Void agentStatus(AgentStatusEvent event) {
        PointState.AgentAt known = agents.get(event.agentId());
        Agent before = known == null ? null : known.agent();
        AgentMetrics m = event.metrics();
        Agent.Metrics metrics = m == null ? (before != null ? before.metrics() : Agent.Metrics.NONE)
                : new Agent.Metrics(or(m.cpu()), or(m.memory()), or(m.messageCount()), or(m.tasksCompleted()),
                        or(m.tasksFailed()));
        AgentStatus status = event.status() != null ? event.status() : AgentStatus.ACTIVE;
        long createdAt = event.createdAt() != null ? event.createdAt() : before != null ? before.createdAt() : event.timestamp();
        // Capabilities are not in the log: a point knows none.
        Agent agent = new Agent(event.agentId(), event.name() != null ? event.name() : event.agentId(),
                event.agentType() != null ? event.agentType() : "agent", status, event.task(), List.of(), metrics,
                createdAt, event.timestamp(), false);
        agents.put(agent.id(), new PointState.AgentAt(agent, known != null ? known.order() : ++registrations));
        return null;
    }

    @Override
    public Void taskUpdate(TaskUpdateEvent event) {
        tasks.put(event.taskId(), new Task(event.taskId(), event.description() != null ? event.description() : "",
                event.taskType(), event.priority(), event.status(), event.agentId(), event.progress(), event.error(),
                event.createdAt() != null ? event.createdAt() : event.timestamp(), event.startTime(), event.endTime(),
                event.timestamp()));
        return null;
    }

    @Override
    public Void messageSent(MessageSentEvent event) {
        counted(event.source(), event.timestamp());
        if (event.target() != null && !Message.EVERYONE.equals(event.target()) && !event.target().equals(event.source())) {
            counted(event.target(), event.timestamp());
        }
        inSecond();
        messagesInSecond++;
        return null;
    }

    @Override
    public Void memoryOperation(MemoryOperationEvent event) {
        inSecond();
        memoryOpsInSecond++;
        boolean succeeded = event.success() != null ? event.success() : event.error() == null;
        if (!succeeded || event.key() == null || event.namespace() == null || event.operation() == null) {
            return null;
        }
        String key = event.namespace() + '\u0000' + event.key();
        switch (event.operation()) {
            case STORE, UPDATE -> {
                if (event.value() != null) {
                    MemoryEntry old = memory.get(key);
                    memory.put(key, new MemoryEntry(event.namespace(), event.key(), event.value(),
                            old != null ? old.createdAt() : event.timestamp(), event.timestamp(), null));
                }
            }
            case DELETE -> memory.remove(key);
            default -> {
                // Reads change nothing.
            }
        }
        return null;
    }

    @Override
    public Void topologyChange(TopologyChangeEvent event) {
        if (event.topology() != null) {
            topology = SwarmTopology.of(event);
        }
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

    private void counted(String agentId, long at) {
        PointState.AgentAt known = agentId == null ? null : agents.get(agentId);
        if (known != null) {
            Agent a = known.agent();
            Agent.Metrics m = a.metrics();
            Agent counted = new Agent(a.id(), a.name(), a.type(), a.status(), a.currentTask(), a.capabilities(),
                    new Agent.Metrics(m.cpu(), m.memory(), m.messageCount() + 1, m.tasksCompleted(), m.tasksFailed()),
                    a.createdAt(), Math.max(a.lastActivity(), at), a.statusReported());
            agents.put(a.id(), new PointState.AgentAt(counted, known.order()));
        }
    }

    /** Starts counting a new whole second (of the point's time) for the rates when the time entered a later one. */
    private void inSecond() {
        long second = Math.floorDiv(maxTimestamp, 1000);
        if (second != rateSecond) {
            rateSecond = second;
            messagesInSecond = 0;
            memoryOpsInSecond = 0;
        }
    }

    private static double or(Double value) {
        return value == null ? 0 : value;
    }

    private static long or(Long value) {
        return value == null ? 0 : value;
    }
}
