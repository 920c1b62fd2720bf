package io.swarmcast.server;

import io.swarmcast.SwarmcastProperties;
import io.swarmcast.event.AgentStatus;
import io.swarmcast.event.AgentStatusEvent;
import io.swarmcast.event.Channel;
import io.swarmcast.event.DashboardEvent;
import io.swarmcast.event.MetricsUpdateEvent;
import io.swarmcast.event.TaskStatus;
import io.swarmcast.event.TaskUpdateEvent;
import io.swarmcast.event.TopologyChangeEvent;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The subscription snapshot (docs/protocol.md section 4), built from the events themselves as they go out:
 * the newest {@code agent:status} of each agent not stopped, the newest {@code task:update} of each task in
 * the active set, the newest topology and metrics. Because it is updated on the fan-out's ordered path,
 * a snapshot is exactly the state after the last event delivered, never ahead of or behind the live
 * events that follow it; and it works the same whichever instance or service raised the events.
 * Only the fan-out's draining thread touches it.
 *
 * <p>Each entry is a {@link SnapshotFrame}, replaced when its state changes, that encodes its frame once;
 * each channel's list is kept until the channel changes. So a subscription storm (hundreds of clients
 * resuming at once) costs the delivery thread one list per subscriber and no encoding at all.
 */
final class StateProjection implements SnapshotSource {

    private final Map<String, SnapshotFrame> agents = new LinkedHashMap<>();
    private final Map<String, SnapshotFrame> tasks = new LinkedHashMap<>();
    private final SwarmcastProperties.Tasks taskSettings;
    private final LongSupplier clock;
    private List<SnapshotFrame> topology = List.of();
    private List<SnapshotFrame> metrics = List.of();
    /** The channels' lists as last handed out; null once the channel changed. */
    private List<SnapshotFrame> agentsList;
    private List<SnapshotFrame> tasksList;

    StateProjection(SwarmcastProperties.Tasks taskSettings, LongSupplier clock) {
        this.taskSettings = taskSettings;
        this.clock = clock;
    }

    void dispatched(DashboardEvent event) {
        if (event instanceof AgentStatusEvent agent) {
            if (agent.status() == AgentStatus.STOPPED) {
                agents.remove(agent.agentId());
            } else {
                agents.put(agent.agentId(), new SnapshotFrame(agent));
            }
            agentsList = null;
        } else if (event instanceof TaskUpdateEvent task) {
            tasks.remove(task.taskId());
            tasks.put(task.taskId(), new SnapshotFrame(task));
            tasksList = null;
            forgetOldFinishedTasks();
        } else if (event instanceof TopologyChangeEvent change) {
            topology = List.of(new SnapshotFrame(change));
        } else if (event instanceof MetricsUpdateEvent update) {
            metrics = List.of(new SnapshotFrame(update));
        }
    }

    @Override
    public List<SnapshotFrame> snapshot(Channel channel) {
        return switch (channel) {
            case AGENTS -> {
                if (agentsList == null) {
                    agentsList = List.copyOf(agents.values());
                }
                yield agentsList;
            }
            case TASKS -> {
                forgetOldFinishedTasks();
                if (tasksList == null) {
                    tasksList = List.copyOf(tasks.values());
                }
                yield tasksList;
            }
            case TOPOLOGY -> topology;
            case METRICS -> metrics;
            default -> List.of();
        };
    }

    /**
     * Finished tasks leave the active set after the retention time, and beyond maxFinished the oldest go
     * at once. Tasks are kept in order of their newest update, so finished ones past retention are found
     * from the front.
     */
    private void forgetOldFinishedTasks() {
        long cutoff = clock.getAsLong() - taskSettings.finishedRetention().toMillis();
        int finished = 0;
        for (SnapshotFrame entry : tasks.values()) {
            if (isFinished((TaskUpdateEvent) entry.event())) {
                finished++;
            }
        }
        Iterator<SnapshotFrame> oldestFirst = tasks.values().iterator();
        while (oldestFirst.hasNext()) {
            TaskUpdateEvent task = (TaskUpdateEvent) oldestFirst.next().event();
            if (isFinished(task) && (finished > taskSettings.maxFinished() || finishedAt(task) < cutoff)) {
                oldestFirst.remove();
                tasksList = null;
                finished--;
            }
        }
    }

    private static boolean isFinished(TaskUpdateEvent task) {
        return task.status() == TaskStatus.COMPLETED || task.status() == TaskStatus.FAILED;
    }

    private static long finishedAt(TaskUpdateEvent task) {
        return task.endTime() != null ? task.endTime() : task.timestamp();
    }
}
