package io.swarmcast.publish;

import io.swarmcast.event.MetricsUpdateEvent;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The server's own {@code metrics:update} ticks of the last five minutes, oldest first, so that a dashboard
 * opened (or reconnected) now can draw its five-minute chart at once instead of starting empty: metrics are
 * ephemeral on the wire and never replayed. Fed by {@link MetricsPublisher} once a second; bounded both by
 * time (ticks older than the newest minus {@link #WINDOW} leave) and by count ({@link #CAPACITY}), so a
 * clock jump cannot make it grow.
 */
@Component
public class MetricsHistory {

    static final Duration WINDOW = Duration.ofMinutes(5);
    /** One tick a second for the window, and a little slack for ticks that land a few ms early. */
    static final int CAPACITY = (int) WINDOW.toSeconds() + 5;

    private final ArrayDeque<MetricsUpdateEvent> ticks = new ArrayDeque<>(CAPACITY + 1);

    synchronized void record(MetricsUpdateEvent tick) {
        ticks.addLast(tick);
        long cutoff = tick.timestamp() - WINDOW.toMillis();
        while (ticks.size() > CAPACITY || ticks.getFirst().timestamp() < cutoff) {
            ticks.removeFirst();
        }
    }

    /** The ticks kept, oldest first. */
    public synchronized List<MetricsUpdateEvent> ticks() {
        return List.copyOf(ticks);
    }
}
