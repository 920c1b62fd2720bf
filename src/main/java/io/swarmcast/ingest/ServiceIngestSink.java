package io.swarmcast.ingest;

import io.swarmcast.agent.AgentObservation;
import io.swarmcast.agent.AgentService;
import io.swarmcast.domain.DomainLock;
import io.swarmcast.event.AgentMetrics;
import io.swarmcast.event.AgentStatusEvent;
import io.swarmcast.event.DashboardEvent;
import io.swarmcast.event.MemoryOperationEvent;
import io.swarmcast.event.MessageSentEvent;
import io.swarmcast.event.MetricsUpdateEvent;
import io.swarmcast.event.PassThroughEvent;
import io.swarmcast.event.TaskUpdateEvent;
import io.swarmcast.event.TopologyChangeEvent;
import io.swarmcast.memory.MemoryOperation;
import io.swarmcast.memory.MemoryService;
import io.swarmcast.message.Message;
import io.swarmcast.message.MessageBus;
import io.swarmcast.server.EventServer;
import io.swarmcast.swarm.SwarmCoordinator;
import io.swarmcast.swarm.SwarmTopology;
import io.swarmcast.task.TaskObservation;
import io.swarmcast.task.TaskService;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/**
 * Applies ingested events through the domain services (DESIGN.md: one path for everything), so that state,
 * snapshots and metrics agree with what producers report. Each service raises its own event, which the
 * publisher broadcasts; the seq returned for an ingested event is that of the first event it caused.
 * A batch is applied under the domain lock as a whole, so its events go out together and in order.
 * Metrics and pass-through events have no service and go straight to the event server.
 */
@Component
class ServiceIngestSink implements IngestSink {

    private final EventServer server;
    private final DomainLock lock;
    private final AgentService agents;
    private final TaskService tasks;
    private final MessageBus messages;
    private final MemoryService memory;
    private final SwarmCoordinator swarm;

    ServiceIngestSink(EventServer server, DomainLock lock, AgentService agents, TaskService tasks, MessageBus messages,
                      MemoryService memory, SwarmCoordinator swarm) {
        this.server = server;
        this.lock = lock;
        this.agents = agents;
        this.tasks = tasks;
        this.messages = messages;
        this.memory = memory;
        this.swarm = swarm;
    }

    @Override
    public List<Long> accept(List<DashboardEvent> events) {
        return lock.call(() -> {
            List<Long> seqs = new ArrayList<>(events.size());
            for (DashboardEvent event : events) {
                List<Long> caused = server.recordingSeqs(() -> apply(event));
                seqs.add(caused.isEmpty() ? 0L : caused.get(0));
            }
            return seqs;
        });
    }

    private void apply(DashboardEvent event) {
        if (event instanceof AgentStatusEvent agent) {
            AgentMetrics m = agent.metrics();
            agents.observe(new AgentObservation(agent.agentId(), agent.name(), agent.agentType(), agent.status(),
                    agent.task(), m != null ? m.cpu() : null, m != null ? m.memory() : null,
                    m != null ? m.messageCount() : null, m != null ? m.tasksCompleted() : null,
                    m != null ? m.tasksFailed() : null, agent.createdAt(), agent.timestamp()));
        } else if (event instanceof TaskUpdateEvent task) {
            tasks.observe(new TaskObservation(task.taskId(), task.status(), task.agentId(), task.description(),
                    task.progress(), task.error(), task.startTime(), task.endTime(), task.createdAt(), task.taskType(),
                    task.priority(), task.timestamp()));
        } else if (event instanceof MessageSentEvent message) {
            messages.observe(new Message(message.messageId(), message.source(), message.target(), message.messageType(),
                    message.payload(), message.size(), message.timestamp()));
        } else if (event instanceof MemoryOperationEvent op) {
            memory.observe(new MemoryOperation(op.operation(), op.namespace(), op.key(), op.query(), op.value(),
                    op.resultCount(), op.cacheHit(), op.latency(), op.success() != null ? op.success() : op.error() == null, op.error(),
                    op.agentId(), op.timestamp()));
        } else if (event instanceof TopologyChangeEvent topology) {
            swarm.adopt(new SwarmTopology(topology.topology(), null,
                    topology.nodes().stream().map(n -> new SwarmTopology.Node(n.id(), n.name(), n.type(), n.status())).toList(),
                    topology.edges().stream().map(e -> new SwarmTopology.Edge(e.source(), e.target(), e.health())).toList(),
                    topology.timestamp()));
        } else if (event instanceof MetricsUpdateEvent || event instanceof PassThroughEvent) {
            server.broadcast(event);
        }
    }
}
