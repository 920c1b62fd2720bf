package io.swarmcast.publish;

import io.swarmcast.agent.Agent;
import io.swarmcast.agent.AgentChanged;
import io.swarmcast.event.AgentMetrics;
import io.swarmcast.event.AgentStatusEvent;
import io.swarmcast.event.MemoryOperationEvent;
import io.swarmcast.event.MessageSentEvent;
import io.swarmcast.event.TaskUpdateEvent;
import io.swarmcast.event.TopologyChangeEvent;
import io.swarmcast.memory.MemoryOperation;
import io.swarmcast.memory.MemoryOperationPerformed;
import io.swarmcast.message.Message;
import io.swarmcast.message.MessageSent;
import io.swarmcast.server.EventServer;
import io.swarmcast.swarm.SwarmTopology;
import io.swarmcast.swarm.TopologyChanged;
import io.swarmcast.task.Task;
import io.swarmcast.task.TaskUpdated;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Turns the domain services' events into the dashboard events of PROTOCOL.md and hands them to the
 * {@link EventServer}. The only class that knows both worlds. It runs first among listeners, so the event
 * a change raises goes out before any event a listener raises in response (an agent's status before the
 * topology that recolours it).
 */
@Component
@Order(0)
class DashboardEventPublisher {

    private final EventServer server;

    DashboardEventPublisher(EventServer server) {
        this.server = server;
    }

    @EventListener
    @Order(0)
    void agentChanged(AgentChanged changed) {
        Agent agent = changed.agent();
        Agent.Metrics load = agent.metrics();
        server.emitAgentStatus(new AgentStatusEvent(agent.id(), agent.name(), agent.type(), agent.status(),
                agent.currentTask(), new AgentMetrics(load.cpu(), load.memory(), load.messageCount(),
                load.tasksCompleted(), load.tasksFailed()), agent.createdAt(), agent.lastActivity()));
    }

    @EventListener
    @Order(0)
    void taskUpdated(TaskUpdated updated) {
        Task task = updated.task();
        server.emitTaskUpdate(new TaskUpdateEvent(task.id(), task.status(), task.assignedAgent(), task.description(),
                task.progress(), task.error(), task.startTime(), task.endTime(), task.createdAt(), task.type(),
                task.priority(), task.updatedAt()));
    }

    @EventListener
    @Order(0)
    void messageSent(MessageSent sent) {
        Message message = sent.message();
        server.emitMessage(new MessageSentEvent(message.id(), message.source(), message.target(), message.type(),
                message.payload(), message.size(), message.timestamp()));
    }

    @EventListener
    @Order(0)
    void memoryOperation(MemoryOperationPerformed performed) {
        MemoryOperation op = performed.operation();
        server.emitMemoryOperation(new MemoryOperationEvent(op.operation(), op.namespace(), op.key(), op.query(),
                op.value(), op.resultCount(), op.cacheHit(), op.latency(), op.success(), op.error(), op.agentId(),
                op.timestamp()));
    }

    @EventListener
    @Order(0)
    void topologyChanged(TopologyChanged changed) {
        SwarmTopology topology = changed.topology();
        server.emitTopologyChange(new TopologyChangeEvent(topology.topology(),
                topology.nodes().stream().map(n -> new TopologyChangeEvent.Node(n.id(), n.name(), n.type(), n.status())).toList(),
                topology.edges().stream().map(e -> new TopologyChangeEvent.Edge(e.source(), e.target(), e.health())).toList(),
                topology.timestamp()));
    }
}
