package io.swarmcast.event;

import lombok.Builder;

/**
 * {@code task:update}: a task was created or moved along its lifecycle.
 *
 * @param agentId  the agent the task is assigned to, if any
 * @param progress 0..100, if known
 * @param taskType what kind of task (the dashboard's {@code data.type}), if known
 */
@Builder
public record TaskUpdateEvent(String taskId, TaskStatus status, String agentId, String description, Integer progress,
                              String error, Long startTime, Long endTime, Long createdAt, String taskType,
                              String priority, long timestamp) implements DashboardEvent {
    public static final String TYPE = "task:update";

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
}
