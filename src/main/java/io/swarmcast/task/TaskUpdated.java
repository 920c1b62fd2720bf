package io.swarmcast.task;

import io.swarmcast.domain.DomainEvent;
import io.swarmcast.domain.Publication;

/** Raised after every change to a task, carrying the task as it is now. The publisher fills in its {@link Publication}. */
public record TaskUpdated(Task task, Publication publication, String swarmId) implements DomainEvent {

    /** @param swarmId the swarm whose service raised it; null for the default swarm */
    public TaskUpdated(Task task, String swarmId) {
        this(task, new Publication(), swarmId);
    }
}
