package io.swarmcast.task;

import io.swarmcast.event.TaskStatus;
import lombok.Builder;

/** What a producer reported about a task (ingest): missing parts keep what was known; the task may be new. */
@Builder
public record TaskObservation(String id, TaskStatus status, String agentId, String description, Integer progress,
                              String error, Long startTime, Long endTime, Long createdAt, String type,
                              String priority, long timestamp) {
}
