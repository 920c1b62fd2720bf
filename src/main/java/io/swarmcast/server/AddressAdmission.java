package io.swarmcast.server;

import io.swarmcast.SwarmcastProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Fair shares of the connection slots, per remote address: how many WebSocket connections an address holds
 * ({@code connections.max-per-address}) and how fast it may start handshakes (a token bucket of
 * {@code connections.attempts-per-second-per-address}, {@code connections.attempt-burst-per-address}). Without
 * it, one client holding {@code max-connections} idle sockets locked every other dashboard out.
 *
 * <p>The handshake asks {@link #attempt} (cheap refusal with HTTP 429 before any WebSocket exists); the open
 * connection then takes its slot with {@link #acquire}, which is exact: handshakes racing past the first check
 * are caught there. Every change of an address's entry happens inside {@code ConcurrentHashMap.compute}, so
 * the count and the bucket need no lock of their own, and an entry with nothing open and a full bucket is
 * dropped: the map holds only addresses that are connected or were recently refused or busy.
 */
@Component
class AddressAdmission {

    enum Verdict { ADMIT, TOO_MANY_CONNECTIONS, TOO_MANY_ATTEMPTS }

    /** How often idle entries (nothing open, bucket full again) are swept out. */
    private static final long SWEEP_NANOS = 10_000_000_000L;

    private final int maxPerAddress;
    private final double attemptsPerNano;
    private final int attemptBurst;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, Address> addresses = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep;

    @Autowired
    AddressAdmission(SwarmcastProperties properties) {
        this(properties.connections().maxPerAddress(), properties.connections().attemptsPerSecondPerAddress(),
                properties.connections().attemptBurstPerAddress(), System::nanoTime);
    }

    AddressAdmission(int maxPerAddress, int attemptsPerSecond, int attemptBurst, LongSupplier nanoClock) {
        this.maxPerAddress = maxPerAddress;
        this.attemptsPerNano = attemptsPerSecond / 1e9;
        this.attemptBurst = attemptBurst;
        this.nanoClock = nanoClock;
        this.lastSweep = new AtomicLong(nanoClock.getAsLong());
    }

    int maxPerAddress() {
        return maxPerAddress;
    }

    /** A handshake from {@code address}: counts against its attempt rate, and is refused if it already holds its share. */
    Verdict attempt(String address) {
        long now = nanoClock.getAsLong();
        sweepIfDue(now);
        Verdict[] verdict = new Verdict[1];
        addresses.compute(address, (key, entry) -> {
            Address a = entry != null ? entry : new Address(attemptBurst, now);
            a.refill(now, attemptsPerNano, attemptBurst);
            if (a.tokens < 1) {
                verdict[0] = Verdict.TOO_MANY_ATTEMPTS;
            } else {
                a.tokens -= 1;
                verdict[0] = a.open >= maxPerAddress ? Verdict.TOO_MANY_CONNECTIONS : Verdict.ADMIT;
            }
            return a;
        });
        return verdict[0];
    }

    /** An opened connection takes one of its address's slots; false when the address holds its share already. */
    boolean acquire(String address) {
        long now = nanoClock.getAsLong();
        boolean[] acquired = new boolean[1];
        addresses.compute(address, (key, entry) -> {
            Address a = entry != null ? entry : new Address(attemptBurst, now);
            if (a.open < maxPerAddress) {
                a.open++;
                acquired[0] = true;
            }
            return a;
        });
        return acquired[0];
    }

    /** A connection that held a slot has closed. */
    void release(String address) {
        long now = nanoClock.getAsLong();
        addresses.computeIfPresent(address, (key, a) -> {
            a.open = Math.max(0, a.open - 1);
            return a.idle(now, attemptsPerNano, attemptBurst) ? null : a;
        });
    }

    /** Connections {@code address} holds now. */
    int connections(String address) {
        Address a = addresses.get(address);
        return a == null ? 0 : a.open;
    }

    /** Handshakes {@code address} may start at once now (its bucket, refilled to this moment). */
    double attemptsAvailable(String address) {
        long now = nanoClock.getAsLong();
        double[] tokens = {attemptBurst};
        addresses.computeIfPresent(address, (key, a) -> {
            a.refill(now, attemptsPerNano, attemptBurst);
            tokens[0] = a.tokens;
            return a;
        });
        return tokens[0];
    }

    /** Addresses tracked now (connected, or with attempts not yet refilled). */
    int trackedAddresses() {
        return addresses.size();
    }

    private void sweepIfDue(long now) {
        long last = lastSweep.get();
        if (now - last < SWEEP_NANOS || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        for (String address : addresses.keySet()) {
            addresses.computeIfPresent(address, (key, a) -> a.idle(now, attemptsPerNano, attemptBurst) ? null : a);
        }
    }

    /** One address's state; only touched inside {@code compute} for its key. */
    private static final class Address {
        int open;
        double tokens;
        long refilledAt;

        Address(int burst, long now) {
            this.tokens = burst;
            this.refilledAt = now;
        }

        void refill(long now, double perNano, int burst) {
            tokens = Math.min(burst, tokens + (now - refilledAt) * perNano);
            refilledAt = now;
        }

        /** Nothing open and the bucket full again: forgetting the entry changes nothing. */
        boolean idle(long now, double perNano, int burst) {
            refill(now, perNano, burst);
            return open == 0 && tokens >= burst;
        }
    }
}
