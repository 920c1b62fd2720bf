package io.swarmcast.publish;

import io.swarmcast.event.MetricsUpdateEvent;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * {@code GET /api/metrics/history}: the last five minutes of the server's metrics ticks, oldest first, for the
 * dashboard's chart. It also names the server's version (from the build info the jar carries), so the page
 * that loads its history learns what it talks to without a second request, and without the actuator's
 * {@code /info}, which says more (Java, environment) than a dashboard footer needs.
 */
@RestController
class MetricsHistoryController {

    /** What the page reads: the window and tick interval it was built with, the server's version, the ticks. */
    record HistoryDocument(long windowMs, long intervalMs, String version, List<MetricsUpdateEvent> points) {
    }

    private final MetricsHistory history;
    private final String version;

    MetricsHistoryController(MetricsHistory history, ObjectProvider<BuildProperties> build) {
        this.history = history;
        BuildProperties properties = build.getIfAvailable();
        // No build info when run from an IDE without a Maven build: say so rather than guess.
        this.version = properties != null && properties.getVersion() != null ? properties.getVersion() : "unknown";
    }

    @GetMapping("/api/metrics/history")
    HistoryDocument history() {
        return new HistoryDocument(MetricsHistory.WINDOW.toMillis(),
                MetricsPublisher.PERIOD_NANOS / 1_000_000, version, history.ticks());
    }
}
