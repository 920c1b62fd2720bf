package io.swarmcast.task;

import io.swarmcast.domain.DomainEvent;
import io.swarmcast.domain.Publication;

/** Raised after every change to a task, carrying the task as it is now. The publisher fills in its {@link Publication}. */
public record TaskUpdated(Task task, Publication publication) implements DomainEvent {

    public TaskUpdated(Task task) {
        this(task, new Publication());
    }
}
