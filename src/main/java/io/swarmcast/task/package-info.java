/** The task orchestrator: tasks and their lifecycle; REST at {@code /api/tasks}. */
package io.swarmcast.task;
