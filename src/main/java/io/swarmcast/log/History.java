package io.swarmcast.log;

import java.util.List;

/**
 * What a read of the log found.
 *
 * @param events      the matching events, oldest first
 * @param reachesBack false when events the read asked for were already dropped from the history
 * @param cutByLimit  true when more events matched than the limit let through
 */
public record History(List<StoredEvent> events, boolean reachesBack, boolean cutByLimit) {

    /** Whether the answer holds every event asked for. */
    public boolean complete() {
        return reachesBack && !cutByLimit;
    }
}
