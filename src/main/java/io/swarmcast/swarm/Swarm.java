package io.swarmcast.swarm;

import io.swarmcast.agent.AgentService;
import io.swarmcast.event.SwarmIds;
import io.swarmcast.memory.MemoryService;
import io.swarmcast.message.MessageBus;
import io.swarmcast.task.TaskService;

/**
 * One swarm's state: its own agents, tasks, message bus, shared memory and coordinator, so that entity ids are
 * unique per swarm (the key of an agent is the pair swarm, id). The default swarm's services are the application's
 * beans; every other swarm gets instances of its own from {@link Swarms}. Whatever works per swarm (a state at a
 * seq, playback) takes one of these rather than the beans.
 *
 * @param id        the internal id: null for the default swarm ({@link SwarmIds})
 * @param createdAt when this server first held it (ms)
 */
public record Swarm(String id, AgentService agents, TaskService tasks, MessageBus messages, MemoryService memory,
                    SwarmCoordinator coordinator, long createdAt) {

    /** The id as the wire writes it: {@code "default"} for the default swarm. */
    public String name() {
        return SwarmIds.name(id);
    }

    public boolean isDefault() {
        return id == null;
    }
}
