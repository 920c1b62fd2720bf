/** Producers' way in: {@code POST /api/events}, the Claude Flow CLI's {@code POST /event}, and its compatibility port. */
package io.swarmcast.ingest;
