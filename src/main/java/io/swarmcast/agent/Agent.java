package io.swarmcast.agent;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.swarmcast.event.AgentStatus;

import java.util.List;

/**
 * One agent as the agent manager knows it. Immutable: every change makes a new one.
 *
 * @param currentTask the task it works on, or null
 * @param createdAt   when it was spawned (ms)
 * @param lastActivity when anything last changed about it (ms)
 * @param statusReported whether a client stated its status ({@code agent:status} ingest, or a PATCH naming a
 *                     status): then the status is that client's word and the server's task flow no longer
 *                     infers busy/idle from the agent's tasks (it still tracks {@code currentTask}); internal, not
 *                     part of the API (an instance that learns the agent from the shared log cannot know it)
 */
public record Agent(String id, String name, String type, AgentStatus status, String currentTask,
                    List<String> capabilities, Metrics metrics, long createdAt, long lastActivity,
                    @JsonIgnore boolean statusReported) {

    public Agent {
        capabilities = List.copyOf(capabilities);
    }

    /** Resource use and counters: what the dashboard shows on an agent's card. */
    public record Metrics(double cpu, double memory, long messageCount, long tasksCompleted, long tasksFailed) {
        public static final Metrics NONE = new Metrics(0, 0, 0, 0, 0);
    }

    /** Active or busy: what the metrics count as an active agent. */
    @JsonIgnore
    public boolean isActive() {
        return status == AgentStatus.ACTIVE || status == AgentStatus.BUSY;
    }

    Agent with(AgentStatus newStatus, String newTask, long now) {
        return new Agent(id, name, type, newStatus, newTask, capabilities, metrics, createdAt, now, statusReported);
    }

    /** A change the server inferred from the agent's tasks: the task always, the status only if no client reported one. */
    Agent withInferred(AgentStatus inferredStatus, String newTask, long now) {
        return with(statusReported ? status : inferredStatus, newTask, now);
    }

    Agent withMetrics(Metrics newMetrics, long now) {
        return new Agent(id, name, type, status, currentTask, capabilities, newMetrics, createdAt, now, statusReported);
    }
}
