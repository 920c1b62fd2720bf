package io.swarmcast.publish;

import io.swarmcast.agent.Agent;
import io.swarmcast.agent.AgentChanged;
import io.swarmcast.domain.DomainEvent;
import io.swarmcast.event.AgentMetrics;
import io.swarmcast.event.AgentStatusEvent;
import io.swarmcast.event.DashboardEvent;
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
import io.swarmcast.trace.TraceScope;
import lombok.RequiredArgsConstructor;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Turns the domain services' events into the dashboard events of the protocol and hands them to the
 * {@link EventServer}. The only class that knows both worlds. It runs first among listeners, so the event
 * a change raises goes out before any event a listener raises in response (an agent's status before the
 * topology that recolours it). Each domain event's {@link io.swarmcast.domain.Publication} is completed with
 * the seq the event got, which is how ingest learns the seqs it answers with. Each event carries the causal link of
 * the change that raised it ({@link TraceScope}), so what a traced request causes is part of its trace.
 */
@Component
@Order(0)
@RequiredArgsConstructor
class DashboardEventPublisher {

    private final EventServer server;
    private final TraceScope traces;

    @EventListener
    @Order(0)
    void agentChanged(AgentChanged changed) {
        Agent agent = changed.agent();
        Agent.Metrics load = agent.metrics();
        publish(changed, AgentStatusEvent.builder()
                .agentId(agent.id())
                .name(agent.name())
                .agentType(agent.type())
                .status(agent.status())
                .task(agent.currentTask())
                .metrics(AgentMetrics.builder()
                        .cpu(load.cpu())
                        .memory(load.memory())
                        .messageCount(load.messageCount())
                        .tasksCompleted(load.tasksCompleted())
                        .tasksFailed(load.tasksFailed())
                        .build())
                .createdAt(agent.createdAt())
                .timestamp(agent.lastActivity())
                .trace(traces.current())
                .swarmId(changed.swarmId())
                .build());
    }

    @EventListener
    @Order(0)
    void taskUpdated(TaskUpdated updated) {
        Task task = updated.task();
        publish(updated, TaskUpdateEvent.builder()
                .taskId(task.id())
                .status(task.status())
                .agentId(task.assignedAgent())
                .description(task.description())
                .progress(task.progress())
                .error(task.error())
                .startTime(task.startTime())
                .endTime(task.endTime())
                .createdAt(task.createdAt())
                .taskType(task.type())
                .priority(task.priority())
                .timestamp(task.updatedAt())
                .trace(traces.current())
                .swarmId(updated.swarmId())
                .build());
    }

    @EventListener
    @Order(0)
    void messageSent(MessageSent sent) {
        Message message = sent.message();
        publish(sent, MessageSentEvent.builder()
                .messageId(message.id())
                .source(message.source())
                .target(message.target())
                .messageType(message.type())
                .payload(message.payload())
                .size(message.size())
                .timestamp(message.timestamp())
                .trace(traces.current())
                .swarmId(sent.swarmId())
                .build());
    }

    @EventListener
    @Order(0)
    void memoryOperation(MemoryOperationPerformed performed) {
        MemoryOperation op = performed.operation();
        publish(performed, MemoryOperationEvent.builder()
                .operation(op.operation())
                .namespace(op.namespace())
                .key(op.key())
                .query(op.query())
                .value(op.value())
                .resultCount(op.resultCount())
                .cacheHit(op.cacheHit())
                .latency(op.latency())
                .success(op.success())
                .error(op.error())
                .agentId(op.agentId())
                .timestamp(op.timestamp())
                .trace(traces.current())
                .swarmId(performed.swarmId())
                .build());
    }

    @EventListener
    @Order(0)
    void topologyChanged(TopologyChanged changed) {
        SwarmTopology topology = changed.topology();
        publish(changed, new TopologyChangeEvent(topology.topology(),
                topology.nodes().stream().map(n -> new TopologyChangeEvent.Node(n.id(), n.name(), n.type(), n.status())).toList(),
                topology.edges().stream().map(e -> new TopologyChangeEvent.Edge(e.source(), e.target(), e.health())).toList(),
                topology.timestamp(), traces.current(), changed.swarmId()));
    }

    /**
     * Hands the event to the server, which completes the domain event's publication with the seq it got, or fails it
     * with why it got none (at once, or at the end of an {@link EventServer#appendingTogether}).
     */
    private void publish(DomainEvent event, DashboardEvent dashboard) {
        server.publish(dashboard, event.publication());
    }
}
