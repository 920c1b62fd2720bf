package io.swarmcast.agent;

import io.swarmcast.domain.ConflictException;
import io.swarmcast.domain.DomainLock;
import io.swarmcast.domain.NotFoundException;
import io.swarmcast.event.AgentStatus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The agent manager: spawns agents, tracks their status, current task and resource use, stops them. Every change
 * that a dashboard should see raises one {@link AgentChanged}. Message counts change too often for an event
 * each; they show in the next event and in snapshots.
 */
@Service
public class AgentService {

    private final Map<String, Agent> agents = new ConcurrentHashMap<>();
    /** The order agents first registered in: createdAt alone ties for agents spawned in the same millisecond. */
    private final Map<String, Long> registrationOrder = new ConcurrentHashMap<>();
    private final AtomicLong registrations = new AtomicLong();
    /** The swarm this instance serves; null for the default swarm. */
    private final String swarmId;
    private final DomainLock lock;
    private final ApplicationEventPublisher events;
    private final LongSupplier clock;

    @Autowired
    public AgentService(DomainLock lock, ApplicationEventPublisher events) {
        this(lock, events, null);
    }

    /** The agents of one swarm ({@link io.swarmcast.swarm.Swarms}); {@code swarmId} null is the default swarm. */
    public AgentService(DomainLock lock, ApplicationEventPublisher events, String swarmId) {
        this.swarmId = swarmId;
        this.lock = lock;
        this.events = events;
        this.clock = System::currentTimeMillis;
    }

    /**
     * @param id     the agent's id, or null to have one made up
     * @param status its first status; active when null (there is no process to wait for)
     */
    public Agent spawn(String id, String name, String type, List<String> capabilities, AgentStatus status) {
        return lock.call(() -> {
            String agentId = id != null ? id : type + "-" + UUID.randomUUID().toString().substring(0, 8);
            Agent existing = agents.get(agentId);
            if (existing != null && existing.status() != AgentStatus.STOPPED) {
                throw new ConflictException("agent '" + agentId + "' already exists and is " + existing.status().wireName());
            }
            long now = clock.getAsLong();
            Agent agent = new Agent(agentId, name, type, status != null ? status : AgentStatus.ACTIVE, null,
                    capabilities == null ? List.of() : capabilities, Agent.Metrics.NONE, now, now, false);
            return save(agent);
        });
    }

    /** Changes what a PATCH names; a stopped agent can no longer change. */
    public Agent update(String id, AgentUpdate update) {
        return lock.call(() -> {
            Agent agent = require(id);
            if (agent.status() == AgentStatus.STOPPED) {
                throw new ConflictException("agent '" + id + "' is stopped; spawn it again to use it");
            }
            Agent.Metrics current = agent.metrics();
            Agent.Metrics newMetrics = new Agent.Metrics(update.cpu() != null ? update.cpu() : current.cpu(),
                    update.memory() != null ? update.memory() : current.memory(), current.messageCount(),
                    current.tasksCompleted(), current.tasksFailed());
            String task = update.clearTask() ? null : update.currentTask() != null ? update.currentTask() : agent.currentTask();
            Agent changed = new Agent(id, update.name() != null ? update.name() : agent.name(), agent.type(),
                    update.status() != null ? update.status() : agent.status(), task, agent.capabilities(), newMetrics,
                    agent.createdAt(), clock.getAsLong(), agent.statusReported() || update.status() != null);
            return save(changed);
        });
    }

    /** Stops the agent; it stays readable with status stopped. Stopping a stopped agent changes nothing. */
    public Agent stop(String id) {
        return lock.call(() -> {
            Agent agent = require(id);
            if (agent.status() == AgentStatus.STOPPED) {
                return agent;
            }
            return save(agent.with(AgentStatus.STOPPED, null, clock.getAsLong()));
        });
    }

    /** The task orchestrator gave the agent a task: it becomes busy with it (its status stays if a client reported one). */
    public Agent assignTask(String id, String taskId) {
        return lock.call(() -> {
            Agent agent = require(id);
            if (agent.status() == AgentStatus.STOPPED || agent.status() == AgentStatus.ERROR) {
                throw new ConflictException("cannot assign to agent '" + id + "': it is " + agent.status().wireName());
            }
            return save(agent.withInferred(AgentStatus.BUSY, taskId, clock.getAsLong()));
        });
    }

    /**
     * A producer reported the agent working on a task: that is its current task, unless it is stopped, and
     * it is busy unless a client reported its status (which then stands).
     */
    public void observeBusy(String id, String taskId) {
        lock.run(() -> {
            Agent agent = agents.get(id);
            if (agent != null && agent.status() != AgentStatus.STOPPED) {
                save(agent.withInferred(AgentStatus.BUSY, taskId, clock.getAsLong()));
            }
        });
    }

    /**
     * A task of the agent finished: counted, and if it was the agent's current task that is cleared and a busy
     * agent is idle again, unless a client reported its status (which then stands).
     */
    public void taskFinished(String id, String taskId, boolean succeeded) {
        lock.run(() -> {
            Agent agent = agents.get(id);
            if (agent == null) {
                return;
            }
            Agent.Metrics current = agent.metrics();
            Agent.Metrics counted = new Agent.Metrics(current.cpu(), current.memory(), current.messageCount(),
                    current.tasksCompleted() + (succeeded ? 1 : 0), current.tasksFailed() + (succeeded ? 0 : 1));
            long now = clock.getAsLong();
            Agent changed = agent.withMetrics(counted, now);
            if (taskId.equals(agent.currentTask())) {
                changed = changed.withInferred(agent.status() == AgentStatus.BUSY ? AgentStatus.IDLE : agent.status(), null, now);
            }
            save(changed);
        });
    }

    /** Counts a message the agent sent or received; no event of its own (see the class comment). */
    public void messageCounted(String id) {
        lock.run(() -> agents.computeIfPresent(id, (key, agent) -> {
            Agent.Metrics current = agent.metrics();
            return agent.withMetrics(new Agent.Metrics(current.cpu(), current.memory(), current.messageCount() + 1,
                    current.tasksCompleted(), current.tasksFailed()), clock.getAsLong());
        }));
    }

    /**
     * Records what a producer reported, registering the agent if it is new.
     *
     * @return the event raised for it, whose publication tells the seq it got
     */
    public AgentChanged observe(AgentObservation seen) {
        return lock.call(() -> {
            Agent known = agents.get(seen.id());
            Agent.Metrics current = known != null ? known.metrics() : Agent.Metrics.NONE;
            Agent.Metrics newMetrics = new Agent.Metrics(
                    seen.cpu() != null ? seen.cpu() : current.cpu(),
                    seen.memory() != null ? seen.memory() : current.memory(),
                    seen.messageCount() != null ? seen.messageCount() : current.messageCount(),
                    seen.tasksCompleted() != null ? seen.tasksCompleted() : current.tasksCompleted(),
                    seen.tasksFailed() != null ? seen.tasksFailed() : current.tasksFailed());
            AgentStatus status = seen.status() != null ? seen.status() : known != null ? known.status() : AgentStatus.ACTIVE;
            String task = status == AgentStatus.STOPPED ? null
                    : seen.currentTask() != null ? seen.currentTask() : known != null ? known.currentTask() : null;
            long createdAt = known != null ? known.createdAt() : seen.createdAt() != null ? seen.createdAt() : seen.timestamp();
            Agent agent = new Agent(seen.id(),
                    firstNonNull(seen.name(), known != null ? known.name() : null, seen.id()),
                    firstNonNull(seen.type(), known != null ? known.type() : null, "agent"),
                    status, task, known != null ? known.capabilities() : List.of(), newMetrics, createdAt, seen.timestamp(),
                    seen.status() != null || known != null && known.statusReported());
            return saveAndRaise(agent);
        });
    }

    /**
     * Sets the agent as another instance (or a checkpoint) says it is, raising nothing: the event that carried it is
     * already in the shared log (io.swarmcast.replica). No lifecycle check, no derived change.
     */
    public void restore(Agent agent) {
        lock.run(() -> {
            agents.put(agent.id(), agent);
            registrationOrder.computeIfAbsent(agent.id(), id -> registrations.incrementAndGet());
        });
    }

    public Optional<Agent> find(String id) {
        return Optional.ofNullable(agents.get(id));
    }

    public Agent get(String id) {
        return require(id);
    }

    /** Every agent, stopped ones too, in the order they first registered. */
    public List<Agent> list() {
        List<Agent> all = new ArrayList<>(agents.values());
        all.sort(Comparator.comparingLong((Agent agent) -> registrationOrder.getOrDefault(agent.id(), Long.MAX_VALUE)));
        return all;
    }

    /** Agents that are active or busy. */
    public int activeCount() {
        int count = 0;
        for (Agent agent : agents.values()) {
            if (agent.isActive()) {
                count++;
            }
        }
        return count;
    }

    private Agent require(String id) {
        Agent agent = agents.get(id);
        if (agent == null) {
            throw new NotFoundException("agent", id);
        }
        return agent;
    }

    private Agent save(Agent agent) {
        return saveAndRaise(agent).agent();
    }

    private AgentChanged saveAndRaise(Agent agent) {
        agents.put(agent.id(), agent);
        registrationOrder.computeIfAbsent(agent.id(), id -> registrations.incrementAndGet());
        AgentChanged changed = new AgentChanged(agent, swarmId);
        events.publishEvent(changed);
        return changed;
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... values) {
        for (T value : values) {
            if (value != null) {
                return value;
            }
        }
        return Objects.requireNonNull(null);
    }
}
