/** The agent manager: agents, their status, current task and resource use; REST at {@code /api/agents}. */
package io.swarmcast.agent;
