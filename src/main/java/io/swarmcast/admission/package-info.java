/**
 * Admission control at the edge: a write (ingest, a command, a demo step, a metrics tick) is let in only while
 * the delivery thread has room for the events it can cause, and only while the server is not stopping. The
 * check and the reservation happen before the domain lock is taken, so a refusal (503 {@code overloaded} or
 * {@code shutting_down}, with Retry-After) never waits and never holds up anyone else.
 * {@link io.swarmcast.admission.DeliveryBacklog} is the count it watches; the fan-out keeps it.
 */
package io.swarmcast.admission;
