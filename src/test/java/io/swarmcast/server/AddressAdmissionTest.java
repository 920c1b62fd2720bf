package io.swarmcast.server;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static io.swarmcast.server.AddressAdmission.Verdict.ADMIT;
import static io.swarmcast.server.AddressAdmission.Verdict.TOO_MANY_ATTEMPTS;
import static io.swarmcast.server.AddressAdmission.Verdict.TOO_MANY_CONNECTIONS;
import static org.assertj.core.api.Assertions.assertThat;

class AddressAdmissionTest {

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    /** 2 connections per address; 4 handshakes per second, burst 5. */
    private final AddressAdmission admission = new AddressAdmission(2, 4, 5, clock::get);

    @Test
    void anAddressHoldsAtMostItsShareAndGetsASlotBackWhenOneCloses() {
        assertThat(admission.acquire("10.0.0.1")).isTrue();
        assertThat(admission.acquire("10.0.0.1")).isTrue();
        assertThat(admission.attempt("10.0.0.1")).isEqualTo(TOO_MANY_CONNECTIONS);
        assertThat(admission.acquire("10.0.0.1")).as("a handshake that raced past the check").isFalse();
        assertThat(admission.attempt("10.0.0.2")).as("other addresses are not affected").isEqualTo(ADMIT);
        assertThat(admission.acquire("10.0.0.2")).isTrue();

        admission.release("10.0.0.1");
        assertThat(admission.connections("10.0.0.1")).isEqualTo(1);
        assertThat(admission.attempt("10.0.0.1")).isEqualTo(ADMIT);
        assertThat(admission.acquire("10.0.0.1")).isTrue();
    }

    @Test
    void handshakesBeyondTheBurstAreRefusedUntilTheRateRefillsTheBucket() {
        for (int i = 0; i < 5; i++) {
            assertThat(admission.attempt("10.0.0.1")).isEqualTo(ADMIT);
        }
        assertThat(admission.attempt("10.0.0.1")).isEqualTo(TOO_MANY_ATTEMPTS);
        assertThat(admission.attempt("10.0.0.2")).isEqualTo(ADMIT);

        clock.addAndGet(250_000_000L); // a quarter second: one attempt at 4/s
        assertThat(admission.attempt("10.0.0.1")).isEqualTo(ADMIT);
        assertThat(admission.attempt("10.0.0.1")).isEqualTo(TOO_MANY_ATTEMPTS);

        clock.addAndGet(10_000_000_000L);
        for (int i = 0; i < 5; i++) {
            assertThat(admission.attempt("10.0.0.1")).as("refilled to the burst, not beyond").isEqualTo(ADMIT);
        }
        assertThat(admission.attempt("10.0.0.1")).isEqualTo(TOO_MANY_ATTEMPTS);
    }

    @Test
    void idleAddressesAreForgottenSoManyAddressesCannotGrowTheMap() {
        for (int i = 0; i < 1000; i++) {
            admission.attempt("10.1." + (i / 256) + "." + (i % 256));
        }
        admission.acquire("10.0.0.9");
        assertThat(admission.trackedAddresses()).isEqualTo(1001);

        clock.addAndGet(11_000_000_000L);
        admission.attempt("10.0.0.10"); // the sweep runs on an attempt, at most every 10 s
        assertThat(admission.trackedAddresses()).as("only the connected one and the new one remain").isEqualTo(2);
        assertThat(admission.connections("10.0.0.9")).isEqualTo(1);

        admission.release("10.0.0.9");
        assertThat(admission.connections("10.0.0.9")).isZero();
    }
}
