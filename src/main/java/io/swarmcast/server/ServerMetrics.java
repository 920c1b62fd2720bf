package io.swarmcast.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The server's Micrometer meters, exported at {@code /actuator/prometheus}. Frames delivered are summed
 * in a {@link LongAdder} read lazily, as that counter moves once per client per event.
 */
final class ServerMetrics {

    private final MeterRegistry registry;
    private final LongAdder framesDelivered = new LongAdder();
    private final LongAdder framesConflated = new LongAdder();
    private final Map<String, Counter> published = new ConcurrentHashMap<>();
    private final Map<String, Counter> closed = new ConcurrentHashMap<>();

    ServerMetrics(MeterRegistry registry, IntSupplier connectedClients) {
        this.registry = registry;
        Gauge.builder("swarmcast.clients.connected", connectedClients::getAsInt)
                .description("WebSocket clients connected now")
                .register(registry);
        FunctionCounter.builder("swarmcast.frames.delivered", framesDelivered, LongAdder::sum)
                .description("Event and control frames written to clients")
                .register(registry);
        FunctionCounter.builder("swarmcast.frames.conflated", framesConflated, LongAdder::sum)
                .description("Live frames conflating clients were not sent: replaced by a newer one, or skipped")
                .register(registry);
    }

    void eventPublished(String type) {
        published.computeIfAbsent(type, t -> Counter.builder("swarmcast.events.published")
                .description("Events published, by type")
                .tag("type", t)
                .register(registry)).increment();
    }

    void framesDelivered(int frames) {
        framesDelivered.add(frames);
    }

    void framesConflated(int frames) {
        framesConflated.add(frames);
    }

    long framesDelivered() {
        return framesDelivered.sum();
    }

    void clientClosed(String reason) {
        closed.computeIfAbsent(reason, r -> Counter.builder("swarmcast.clients.closed")
                .description("Client connections closed, by reason")
                .tag("reason", r)
                .register(registry)).increment();
    }
}
