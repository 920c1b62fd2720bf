package io.swarmcast.agent;

import io.swarmcast.event.AgentStatus;

/**
 * The parts of an agent a PATCH may change; null leaves a part as it is.
 *
 * @param clearTask true when the request set currentTask to null explicitly
 */
public record AgentUpdate(AgentStatus status, String name, String currentTask, boolean clearTask, Double cpu,
                          Double memory) {
}
