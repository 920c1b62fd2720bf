package io.swarmcast.bench;

import java.time.Instant;

/** Wall-clock time in microseconds since the epoch: comparable across the two JVMs on one host. */
final class Micros {

    private Micros() {
    }

    static long now() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
