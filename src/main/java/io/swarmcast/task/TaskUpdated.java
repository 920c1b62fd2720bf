package io.swarmcast.task;

/** Raised after every change to a task, carrying the task as it is now. */
public record TaskUpdated(Task task) {
}
