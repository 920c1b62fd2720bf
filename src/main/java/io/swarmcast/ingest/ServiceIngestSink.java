package io.swarmcast.ingest;

import io.swarmcast.agent.AgentObservation;
import io.swarmcast.agent.AgentService;
import io.swarmcast.domain.DomainLock;
import io.swarmcast.domain.Publication;
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
import io.swarmcast.swarm.Swarm;
import io.swarmcast.swarm.SwarmCoordinator;
import io.swarmcast.swarm.Swarms;
import io.swarmcast.swarm.SwarmTopology;
import io.swarmcast.task.TaskObservation;
import io.swarmcast.task.TaskService;
import io.swarmcast.trace.TraceScope;
import lombok.RequiredArgsConstructor;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.Objects;

/**
 * Applies ingested events through the domain services (one path for everything), so that state, snapshots and
 * metrics agree with what producers report. Each service returns the domain event it raised; the publisher
 * completes that event's {@link Publication} with the seq it got, and that seq is the ingested event's answer.
 * Events the change causes in turn (the topology recoloured after an agent's status) get later seqs.
 * A batch is applied under the domain lock as a whole and its events are appended to the log together, in one
 * append ({@link EventServer#appendingTogether}), so they go out together and in order; the seqs are read after the
 * lock is released. Metrics and pass-through events have no service and go straight to the
 * event server. Admission (the delivery backlog) was checked before this is called. Each event is applied inside
 * its own causal link ({@link TraceScope}), so the events it causes carry its {@code traceId} and {@code parentId}.
 */
@Component
@RequiredArgsConstructor
class ServiceIngestSink implements IngestSink {

    /** How long to wait for the publisher to fill in a seq: events are published synchronously today, so never. */
    private static final Duration PUBLISH_WAIT = Duration.ofSeconds(10);

    private final EventServer server;
    private final DomainLock lock;
    private final Swarms swarms;
    private final TraceScope traces;

    /** A group stops taking requests once it holds this many events (it always takes at least one request). */
    static final int GROUP_EVENTS = 1000;

    /** Requests waiting to be applied, in arrival order. */
    private final Queue<Submitted> submitted = new ConcurrentLinkedQueue<>();
    /** Held by the thread applying a group; the others wait for it, then find their request done or lead the next. */
    private final ReentrantLock leading = new ReentrantLock();

    /** One request's events, and, once its group ran, their publications or why it failed. */
    private static final class Submitted {
        final List<DashboardEvent> events;
        List<Publication> publications;
        RuntimeException failure;
        boolean done;

        Submitted(List<DashboardEvent> events) {
            this.events = events;
        }
    }

    /**
     * Group commit: the requests that arrive while a group is being applied wait, and the next of them to lead
     * applies all of them under one hold of the domain lock, with one append ({@link EventServer#appendingTogether})
     * for all their events. Each request's events stay together and in order; a request is answered once its events
     * are in the log, with its own seqs, or with the append's failure (then none of the group is in the log).
     */
    @Override
    public List<Long> accept(List<DashboardEvent> events) {
        Submitted mine = new Submitted(events);
        submitted.add(mine);
        leading.lock();
        try {
            while (!mine.done) {
                applyGroup();
            }
        } finally {
            leading.unlock();
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        List<Long> seqs = new ArrayList<>(mine.publications.size());
        for (Publication publication : mine.publications) {
            seqs.add(publication.awaitSeq(PUBLISH_WAIT));
        }
        return seqs;
    }

    private void applyGroup() {
        List<Submitted> group = new ArrayList<>();
        int events = 0;
        Submitted next;
        while (events < GROUP_EVENTS && (next = submitted.poll()) != null) {
            group.add(next);
            events += next.events.size();
        }
        try {
            lock.run(() -> server.appendingTogether(() -> {
                for (Submitted request : group) {
                    List<Publication> applied = new ArrayList<>(request.events.size());
                    try {
                        // Every swarm the request names is made (or refused, 429) before anything of it is applied.
                        swarms.obtainAll(request.events.stream().map(DashboardEvent::swarmId).filter(Objects::nonNull)
                                .distinct().toList());
                        for (DashboardEvent event : request.events) {
                            try (TraceScope.Open ignored = traces.open(event.trace())) {
                                applied.add(event.accept(new Applier(swarms.require(event.swarmId()))));
                            }
                        }
                        request.publications = applied;
                    } catch (RuntimeException e) {
                        // This request fails alone; what of it was applied is still appended with the group.
                        request.failure = e;
                    }
                }
                return null;
            }));
        } catch (RuntimeException e) {
            // The append failed: the publications failed with it (their requests learn it when reading their seqs).
            for (Submitted request : group) {
                if (request.publications == null && request.failure == null) {
                    request.failure = e;
                }
            }
        } finally {
            for (Submitted request : group) {
                if (request.publications == null && request.failure == null) {
                    request.failure = new IllegalStateException("the request's group stopped before applying it");
                }
                request.done = true;
            }
        }
    }

    /** One ingested event through its service; returns the publication of the event the service raised. */
    private final class Applier implements DashboardEvent.Visitor<Publication> {

        private final AgentService agents;
        private final TaskService tasks;
        private final MessageBus messages;
        private final MemoryService memory;
        private final SwarmCoordinator swarm;

        Applier(Swarm target) {
            this.agents = target.agents();
            this.tasks = target.tasks();
            this.messages = target.messages();
            this.memory = target.memory();
            this.swarm = target.coordinator();
        }

        @Override
        public Publication agentStatus(AgentStatusEvent agent) {
            AgentMetrics m = agent.metrics() != null ? agent.metrics() : AgentMetrics.builder().build();
            return agents.observe(AgentObservation.builder()
                    .id(agent.agentId())
                    .name(agent.name())
                    .type(agent.agentType())
                    .status(agent.status())
                    .currentTask(agent.task())
                    .cpu(m.cpu())
                    .memory(m.memory())
                    .messageCount(m.messageCount())
                    .tasksCompleted(m.tasksCompleted())
                    .tasksFailed(m.tasksFailed())
                    .createdAt(agent.createdAt())
                    .timestamp(agent.timestamp())
                    .build()).publication();
        }

        @Override
        public Publication taskUpdate(TaskUpdateEvent task) {
            return tasks.observe(TaskObservation.builder()
                    .id(task.taskId())
                    .status(task.status())
                    .agentId(task.agentId())
                    .description(task.description())
                    .progress(task.progress())
                    .error(task.error())
                    .startTime(task.startTime())
                    .endTime(task.endTime())
                    .createdAt(task.createdAt())
                    .type(task.taskType())
                    .priority(task.priority())
                    .timestamp(task.timestamp())
                    .build()).publication();
        }

        @Override
        public Publication messageSent(MessageSentEvent message) {
            return messages.observe(new Message(message.messageId(), message.source(), message.target(),
                    message.messageType(), message.payload(), message.size(), message.timestamp())).publication();
        }

        @Override
        public Publication memoryOperation(MemoryOperationEvent op) {
            return memory.observe(MemoryOperation.builder()
                    .operation(op.operation())
                    .namespace(op.namespace())
                    .key(op.key())
                    .query(op.query())
                    .value(op.value())
                    .resultCount(op.resultCount())
                    .cacheHit(op.cacheHit())
                    .latency(op.latency())
                    .success(op.success() != null ? op.success() : op.error() == null)
                    .error(op.error())
                    .agentId(op.agentId())
                    .timestamp(op.timestamp())
                    .build()).publication();
        }

        @Override
        public Publication topologyChange(TopologyChangeEvent topology) {
            return swarm.adopt(SwarmTopology.of(topology)).publication();
        }

        @Override
        public Publication metricsUpdate(MetricsUpdateEvent metrics) {
            return Publication.of(server.broadcast(metrics));
        }

        @Override
        public Publication passThrough(PassThroughEvent passThrough) {
            Publication publication = new Publication();
            server.publish(passThrough, publication);
            return publication;
        }
    }
}
