/**
 * Causal links between events (docs/protocol.md 7.12): the thread's current link while a change is made
 * ({@link io.swarmcast.trace.TraceScope}), the command API's trace headers, and the index and endpoint that answer
 * {@code GET /api/trace/{traceId}}. The link itself, {@link io.swarmcast.event.Trace}, travels on the events.
 */
package io.swarmcast.trace;
