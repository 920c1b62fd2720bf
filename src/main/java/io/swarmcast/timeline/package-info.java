/**
 * Time travel: the swarm's state at any point of the retained log ({@link io.swarmcast.timeline.Timeline}, a pure
 * fold of the events with periodic immutable checkpoints), answered by {@code GET /api/state?atSeq=N|at=T} and used
 * by WebSocket playback (docs/architecture.md, "Time travel").
 */
package io.swarmcast.timeline;
