package io.swarmcast.agent;

import io.swarmcast.event.AgentStatus;
import lombok.Builder;

/**
 * What a producer reported about an agent (ingest): any part may be missing, and the agent may be new.
 * Missing parts keep what was known.
 */
@Builder
public record AgentObservation(String id, String name, String type, AgentStatus status, String currentTask,
                               Double cpu, Double memory, Long messageCount, Long tasksCompleted, Long tasksFailed,
                               Long createdAt, long timestamp) {
}
