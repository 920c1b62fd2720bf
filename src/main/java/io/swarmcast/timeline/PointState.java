package io.swarmcast.timeline;

import io.swarmcast.agent.Agent;
import io.swarmcast.event.AgentMetrics;
import io.swarmcast.event.AgentStatus;
import io.swarmcast.event.AgentStatusEvent;
import io.swarmcast.event.Channel;
import io.swarmcast.event.DashboardEvent;
import io.swarmcast.event.MetricsUpdateEvent;
import io.swarmcast.event.TaskStatus;
import io.swarmcast.event.TaskUpdateEvent;
import io.swarmcast.event.TopologyChangeEvent;
import io.swarmcast.memory.MemoryEntry;
import io.swarmcast.swarm.SwarmTopology;
import io.swarmcast.task.Task;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The swarm as it was right after one event of the log: an immutable value, the fold of events 1..{@link #seq()}
 * ({@link TimelineFold}). Checkpoints are values of this type; they share every unchanged entity and map node with
 * each other ({@link SharedMap}).
 *
 * @param seq           the seq of the last event folded in (0: none)
 * @param timestamp     that event's timestamp (0 when none)
 * @param maxTimestamp  the newest timestamp among the events folded in: the point's time for the task retention,
 *                      and what a lookup by time searches on (it never decreases along the log)
 */
public record PointState(long seq, long timestamp, long maxTimestamp, SharedMap.Frozen<PointState.AgentAt> agentMap,
                         SharedMap.Frozen<Task> taskMap, SharedMap.Frozen<MemoryEntry> memoryMap,
                         SwarmTopology topology, long registrations, long rateSecond, int messagesInSecond,
                         int memoryOpsInSecond) {

    /** An agent with its place in registration order (the order {@code GET /api/state} lists agents in). */
    record AgentAt(Agent agent, long order) {
    }

    static PointState empty(long seq) {
        return new PointState(seq, 0, 0, SharedMap.empty(), SharedMap.empty(), SharedMap.empty(), null, 0, 0, 0, 0);
    }

    /** Every agent, in registration order, as {@code GET /api/state} lists them. */
    public List<Agent> agents() {
        List<AgentAt> all = agentMap.values();
        all.sort(Comparator.comparingLong(AgentAt::order));
        return all.stream().map(AgentAt::agent).toList();
    }

    /**
     * The active set at this point, as {@code GET /api/state} shows it: unfinished tasks, and finished ones whose
     * end lies within {@code retentionMillis} before the point's time; oldest first.
     */
    public List<Task> activeTasks(long retentionMillis) {
        long cutoff = maxTimestamp - retentionMillis;
        List<Task> active = new ArrayList<>();
        taskMap.forEach((id, task) -> {
            if (!task.isFinished() || endOf(task) >= cutoff) {
                active.add(task);
            }
        });
        active.sort(Comparator.comparingLong(Task::createdAt).thenComparing(Task::id));
        return active;
    }

    /** Every memory entry, ordered by namespace and key. */
    public List<MemoryEntry> memoryEntries() {
        List<MemoryEntry> all = memoryMap.values();
        all.sort(Comparator.comparing(MemoryEntry::namespace).thenComparing(MemoryEntry::key));
        return all;
    }

    /**
     * The metrics a tick at this point would have shown, from the state: agents active or busy, pending tasks, and
     * the messages and memory operations logged in the whole second (by event time) that holds the point.
     */
    public MetricsUpdateEvent metrics() {
        int active = 0;
        for (AgentAt at : agentMap.values()) {
            if (at.agent().isActive()) {
                active++;
            }
        }
        int[] pending = {0};
        taskMap.forEach((id, task) -> {
            if (task.status() == TaskStatus.PENDING) {
                pending[0]++;
            }
        });
        boolean sameSecond = rateSecond == Math.floorDiv(maxTimestamp, 1000);
        return new MetricsUpdateEvent(active, pending[0], sameSecond ? messagesInSecond : 0,
                sameSecond ? memoryOpsInSecond : 0, null, null, maxTimestamp);
    }

    /**
     * The channel's state at this point as events, for a playback's snapshot: as a live snapshot (agents not
     * stopped, the active tasks, the topology, the metrics), none for messages and memory.
     */
    public List<DashboardEvent> snapshot(Channel channel, long retentionMillis) {
        List<DashboardEvent> events = new ArrayList<>();
        switch (channel) {
            case AGENTS -> {
                for (Agent agent : agents()) {
                    if (agent.status() != AgentStatus.STOPPED) {
                        events.add(event(agent));
                    }
                }
            }
            case TASKS -> {
                for (Task task : activeTasks(retentionMillis)) {
                    events.add(event(task));
                }
            }
            case TOPOLOGY -> {
                if (topology != null) {
                    events.add(new TopologyChangeEvent(topology.topology(),
                            topology.nodes().stream().map(n -> new TopologyChangeEvent.Node(n.id(), n.name(), n.type(), n.status())).toList(),
                            topology.edges().stream().map(e -> new TopologyChangeEvent.Edge(e.source(), e.target(), e.health())).toList(),
                            topology.timestamp()));
                }
            }
            case METRICS -> {
                if (seq > 0) {
                    events.add(metrics());
                }
            }
            default -> {
                // messages and memory have no snapshot
            }
        }
        return events;
    }

    static AgentStatusEvent event(Agent agent) {
        Agent.Metrics m = agent.metrics();
        return AgentStatusEvent.builder().agentId(agent.id()).name(agent.name()).agentType(agent.type())
                .status(agent.status()).task(agent.currentTask())
                .metrics(AgentMetrics.builder().cpu(m.cpu()).memory(m.memory()).messageCount(m.messageCount())
                        .tasksCompleted(m.tasksCompleted()).tasksFailed(m.tasksFailed()).build())
                .createdAt(agent.createdAt()).timestamp(agent.lastActivity()).build();
    }

    static TaskUpdateEvent event(Task task) {
        return TaskUpdateEvent.builder().taskId(task.id()).status(task.status()).agentId(task.assignedAgent())
                .description(task.description()).progress(task.progress()).error(task.error())
                .startTime(task.startTime()).endTime(task.endTime()).createdAt(task.createdAt())
                .taskType(task.type()).priority(task.priority()).timestamp(task.updatedAt()).build();
    }

    static long endOf(Task task) {
        return task.endTime() != null ? task.endTime() : task.updatedAt();
    }
}
