package io.swarmcast.task;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.swarmcast.event.TaskStatus;

/**
 * One task as the orchestrator knows it. Immutable: every change makes a new one.
 *
 * @param assignedAgent the agent working on it, or null
 * @param progress      0..100, or null before it started
 * @param startTime     when it started running (ms), or null
 * @param endTime       when it completed or failed (ms), or null
 */
public record Task(String id, String description, String type, String priority, TaskStatus status,
                   String assignedAgent, Integer progress, String error, long createdAt, Long startTime,
                   Long endTime, long updatedAt) {

    @JsonIgnore
    public boolean isFinished() {
        return status == TaskStatus.COMPLETED || status == TaskStatus.FAILED;
    }
}
