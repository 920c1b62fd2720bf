package io.swarmcast.support;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Reads the server's Micrometer meters in tests; a counter not registered yet reads as 0. */
public final class Meters {

    private Meters() {
    }

    /** {@code swarmcast.clients.closed{reason=...}}: connections closed for that reason so far. */
    public static double closed(MeterRegistry registry, String reason) {
        Counter counter = registry.find("swarmcast.clients.closed").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }
}
