package io.swarmcast.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

import java.util.function.Supplier;

/** Times ingest requests from arrival to the events being in the log, per endpoint. */
@Component
class IngestMetrics {

    private final Timer typed;
    private final Timer claudeFlow;

    IngestMetrics(MeterRegistry registry) {
        this.typed = timer(registry, "/api/events");
        this.claudeFlow = timer(registry, "/event");
    }

    private static Timer timer(MeterRegistry registry, String endpoint) {
        return Timer.builder("swarmcast.ingest.latency")
                .description("Time from receiving an ingest request to its events being in the event log")
                .tag("endpoint", endpoint)
                .publishPercentileHistogram()
                .register(registry);
    }

    <T> T timeTyped(Supplier<T> work) {
        return typed.record(work);
    }

    <T> T timeClaudeFlow(Supplier<T> work) {
        return claudeFlow.record(work);
    }
}
