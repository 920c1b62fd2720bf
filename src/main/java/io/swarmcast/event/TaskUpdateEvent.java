package io.swarmcast.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import lombok.Builder;

/**
 * {@code task:update}: a task was created or moved along its lifecycle.
 *
 * @param agentId  the agent the task is assigned to, if any
 * @param progress 0..100, if known
 * @param taskType what kind of task (the dashboard's {@code data.type}), if known
 * @param trace    its causal link, if any
 * @param swarmId  its swarm, null for the default one (docs/protocol.md 7.15)
 */
@Builder(toBuilder = true)
public record TaskUpdateEvent(String taskId, TaskStatus status, String agentId, String description, Integer progress,
                              String error, Long startTime, Long endTime, Long createdAt, String taskType,
                              String priority, long timestamp,
                              @JsonInclude(JsonInclude.Include.NON_NULL) Trace trace,
                              @JsonInclude(JsonInclude.Include.NON_NULL) String swarmId)
        implements DashboardEvent {
    public static final String TYPE = "task:update";

    /** Without a causal link, in the default swarm. */
    public TaskUpdateEvent(String taskId, TaskStatus status, String agentId, String description, Integer progress,
                           String error, Long startTime, Long endTime, Long createdAt, String taskType,
                           String priority, long timestamp) {
        this(taskId, status, agentId, description, progress, error, startTime, endTime, createdAt, taskType, priority,
                timestamp, null, null);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Channel channel() {
        return Channel.TASKS;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.taskUpdate(this);
    }

    @Override
    public TaskUpdateEvent withSwarmId(String swarmId) {
        return toBuilder().swarmId(swarmId).build();
    }
}
