package io.swarmcast.task;

import io.swarmcast.SwarmcastProperties;
import io.swarmcast.agent.AgentService;
import io.swarmcast.domain.ConflictException;
import io.swarmcast.domain.DomainLock;
import io.swarmcast.domain.InvalidRequestException;
import io.swarmcast.domain.NotFoundException;
import io.swarmcast.event.TaskStatus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The task orchestrator. Commands follow the lifecycle pending → assigned → running → completed, with
 * failed reachable from any unfinished state; a command the current state does not allow is refused with a
 * {@link ConflictException} naming that state, and raises nothing. Observations from ingest are recorded as
 * reported, without the lifecycle check: a producer tells what happened, not what it asks for.
 */
@Service
public class TaskService {

    private static final Set<TaskStatus> UNFINISHED = EnumSet.of(TaskStatus.PENDING, TaskStatus.ASSIGNED, TaskStatus.RUNNING);

    private final Map<String, Task> tasks = new ConcurrentHashMap<>();
    /** Finished task ids, oldest first, so the oldest can be forgotten past maxFinished. */
    private final Deque<String> finishedOrder = new ArrayDeque<>();
    /** The swarm this instance serves; null for the default swarm. */
    private final String swarmId;
    private final DomainLock lock;
    private final AgentService agents;
    private final ApplicationEventPublisher events;
    private final SwarmcastProperties.Tasks settings;
    private final LongSupplier clock;

    @Autowired
    public TaskService(DomainLock lock, AgentService agents, ApplicationEventPublisher events,
                       SwarmcastProperties properties) {
        this(lock, agents, events, properties, null);
    }

    /** The tasks of one swarm ({@link io.swarmcast.swarm.Swarms}); {@code swarmId} null is the default swarm. */
    public TaskService(DomainLock lock, AgentService agents, ApplicationEventPublisher events,
                       SwarmcastProperties properties, String swarmId) {
        this.swarmId = swarmId;
        this.lock = lock;
        this.agents = agents;
        this.events = events;
        this.settings = properties.tasks();
        this.clock = System::currentTimeMillis;
    }

    public Task create(String id, String description, String type, String priority) {
        return lock.call(() -> {
            String taskId = id != null ? id : "task-" + UUID.randomUUID().toString().substring(0, 8);
            if (tasks.containsKey(taskId)) {
                throw new ConflictException("task '" + taskId + "' already exists");
            }
            long now = clock.getAsLong();
            return save(new Task(taskId, description, type, priority, TaskStatus.PENDING, null, null, null, now,
                    null, null, now));
        });
    }

    /** Gives a pending task to an agent, which becomes busy with it. */
    public Task assign(String id, String agentId) {
        return lock.call(() -> {
            Task task = require(id);
            allow(task, "assign", TaskStatus.PENDING);
            agents.get(agentId);
            Task assigned = change(task, TaskStatus.ASSIGNED, agentId, task.progress(), null, null, null);
            agents.assignTask(agentId, id);
            return save(assigned);
        });
    }

    public Task start(String id) {
        return lock.call(() -> {
            Task task = require(id);
            allow(task, "start", TaskStatus.ASSIGNED);
            return save(change(task, TaskStatus.RUNNING, task.assignedAgent(), 0, null, clock.getAsLong(), null));
        });
    }

    public Task progress(String id, int progress) {
        if (progress < 0 || progress > 100) {
            throw new InvalidRequestException("progress", "progress must be between 0 and 100 (got " + progress + ")");
        }
        return lock.call(() -> {
            Task task = require(id);
            allow(task, "report progress on", TaskStatus.RUNNING);
            return save(change(task, TaskStatus.RUNNING, task.assignedAgent(), progress, null, task.startTime(), null));
        });
    }

    public Task complete(String id) {
        return lock.call(() -> {
            Task task = require(id);
            allow(task, "complete", TaskStatus.RUNNING);
            Task done = save(change(task, TaskStatus.COMPLETED, task.assignedAgent(), 100, null, task.startTime(),
                    clock.getAsLong()));
            finished(done);
            return done;
        });
    }

    public Task fail(String id, String error) {
        if (error == null || error.isBlank()) {
            throw new InvalidRequestException("error", "error is required: say why the task failed");
        }
        return lock.call(() -> {
            Task task = require(id);
            allow(task, "fail", TaskStatus.PENDING, TaskStatus.ASSIGNED, TaskStatus.RUNNING);
            Task failed = save(change(task, TaskStatus.FAILED, task.assignedAgent(), task.progress(), error,
                    task.startTime(), clock.getAsLong()));
            finished(failed);
            return failed;
        });
    }

    /**
     * Records what a producer reported: the task is created if new and carried to the reported status.
     *
     * @return the event raised for the task, whose publication tells the seq it got
     */
    public TaskUpdated observe(TaskObservation seen) {
        return lock.call(() -> {
            Task known = tasks.get(seen.id());
            TaskStatus status = seen.status();
            String agentId = seen.agentId() != null ? seen.agentId() : known != null ? known.assignedAgent() : null;
            boolean finishing = isFinished(status) && (known == null || !known.isFinished());
            Long startTime = seen.startTime() != null ? seen.startTime()
                    : known != null && known.startTime() != null ? known.startTime()
                    : status == TaskStatus.RUNNING ? seen.timestamp() : null;
            Long endTime = seen.endTime() != null ? seen.endTime()
                    : isFinished(status) ? (known != null && known.endTime() != null ? known.endTime() : seen.timestamp()) : null;
            Integer progress = seen.progress() != null ? seen.progress()
                    : status == TaskStatus.COMPLETED ? Integer.valueOf(100) : known != null ? known.progress() : null;
            Task task = new Task(seen.id(),
                    seen.description() != null ? seen.description() : known != null ? known.description() : "",
                    seen.type() != null ? seen.type() : known != null ? known.type() : null,
                    seen.priority() != null ? seen.priority() : known != null ? known.priority() : null,
                    status, agentId, progress,
                    seen.error() != null ? seen.error() : status == TaskStatus.FAILED && known != null ? known.error() : null,
                    known != null ? known.createdAt() : seen.createdAt() != null ? seen.createdAt() : seen.timestamp(),
                    startTime, endTime, seen.timestamp());
            TaskUpdated updated = saveAndRaise(task);
            if (agentId != null && agents.find(agentId).isPresent()) {
                if (finishing) {
                    agents.taskFinished(agentId, task.id(), status == TaskStatus.COMPLETED);
                } else if ((status == TaskStatus.ASSIGNED || status == TaskStatus.RUNNING)
                        && !task.id().equals(agents.get(agentId).currentTask())) {
                    agents.observeBusy(agentId, task.id());
                }
            }
            if (finishing) {
                remember(task);
            }
            return updated;
        });
    }

    /**
     * Sets the task as another instance (or a checkpoint) says it is, raising nothing and touching no agent: the
     * agent's own change is a separate event in the shared log (io.swarmcast.replica).
     */
    public void restore(Task task) {
        lock.run(() -> {
            Task known = tasks.put(task.id(), task);
            if (task.isFinished() && (known == null || !known.isFinished())) {
                remember(task);
            }
        });
    }

    public Task get(String id) {
        return require(id);
    }

    /** Unfinished tasks, and finished ones for the retention time after they finished; oldest first. */
    public List<Task> active() {
        long cutoff = clock.getAsLong() - settings.finishedRetention().toMillis();
        List<Task> active = new ArrayList<>();
        for (Task task : tasks.values()) {
            if (!task.isFinished() || task.endTime() >= cutoff) {
                active.add(task);
            }
        }
        active.sort(Comparator.comparingLong(Task::createdAt).thenComparing(Task::id));
        return active;
    }

    /** Every task still readable, oldest first. */
    public List<Task> all() {
        List<Task> all = new ArrayList<>(tasks.values());
        all.sort(Comparator.comparingLong(Task::createdAt).thenComparing(Task::id));
        return all;
    }

    public int countWithStatus(TaskStatus status) {
        int count = 0;
        for (Task task : tasks.values()) {
            if (task.status() == status) {
                count++;
            }
        }
        return count;
    }

    private void finished(Task task) {
        if (task.assignedAgent() != null) {
            agents.taskFinished(task.assignedAgent(), task.id(), task.status() == TaskStatus.COMPLETED);
        }
        remember(task);
    }

    /** Keeps finished tasks readable up to maxFinished, forgetting the oldest. */
    private void remember(Task finished) {
        finishedOrder.addLast(finished.id());
        while (finishedOrder.size() > settings.maxFinished()) {
            String oldest = finishedOrder.removeFirst();
            Task task = tasks.get(oldest);
            if (task != null && task.isFinished()) {
                tasks.remove(oldest);
            }
        }
    }

    private static boolean isFinished(TaskStatus status) {
        return !UNFINISHED.contains(status);
    }

    private Task change(Task task, TaskStatus status, String agentId, Integer progress, String error, Long startTime,
                        Long endTime) {
        return new Task(task.id(), task.description(), task.type(), task.priority(), status, agentId, progress, error,
                task.createdAt(), startTime, endTime, clock.getAsLong());
    }

    private static void allow(Task task, String command, TaskStatus... allowed) {
        for (TaskStatus status : allowed) {
            if (task.status() == status) {
                return;
            }
        }
        StringBuilder needs = new StringBuilder();
        for (TaskStatus status : allowed) {
            needs.append(needs.length() == 0 ? "" : " or ").append(status.wireName());
        }
        throw new ConflictException("cannot " + command + " task '" + task.id() + "': it is " + task.status().wireName()
                + " (needs " + needs + ")");
    }

    private Task require(String id) {
        Task task = tasks.get(id);
        if (task == null) {
            throw new NotFoundException("task", id);
        }
        return task;
    }

    private Task save(Task task) {
        return saveAndRaise(task).task();
    }

    private TaskUpdated saveAndRaise(Task task) {
        tasks.put(task.id(), task);
        TaskUpdated updated = new TaskUpdated(task, swarmId);
        events.publishEvent(updated);
        return updated;
    }
}
