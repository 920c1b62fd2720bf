package io.swarmcast.admission;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.swarmcast.web.ApiError;
import io.swarmcast.web.ApiException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The admission bound is hard: writes reserve room for what they can cause before they append, so however many
 * pass the check at once, the queue never holds more than the bound; and once closed, nothing more is admitted
 * while what was admitted may finish.
 */
class AdmissionTest {

    private static final int MAX = 100;

    private final DeliveryBacklog backlog = new DeliveryBacklog();
    private final Admission admission = new Admission(backlog, MAX, Duration.ofSeconds(2), new SimpleMeterRegistry());

    private void queue(int items) {
        for (int i = 0; i < items; i++) {
            backlog.added();
        }
    }

    @Test
    void reservationsCountBeforeTheirEventsAreQueued() {
        Admission.Ticket first = admission.admit(60);
        // Nothing is queued yet, but the first write may still add 60: a second one of 60 would break the bound.
        assertThat(admission.tryAdmit(60)).isNull();
        Admission.Ticket second = admission.admit(40);
        queue(60);
        first.close();
        queue(40);
        second.close();
        assertThat(backlog.size()).isEqualTo(MAX);
        assertThat(admission.tryAdmit(1)).as("the queue is at the bound").isNull();
        backlog.taken();
        assertThat(admission.tryAdmit(1)).as("delivery took one out").isNotNull();
    }

    @Test
    void overloadIsA503WithRetryAfterAndTheOverloadedCode() {
        queue(MAX);
        assertThatThrownBy(() -> admission.admit(1)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.getStatus()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(e.getCode()).isEqualTo(ApiError.OVERLOADED);
            assertThat(e.getRetryAfterSeconds()).isEqualTo(2);
        });
    }

    @Test
    void aWriteLargerThanTheWholeBoundIsAdmittedOnlyAlone() {
        queue(1);
        assertThat(admission.tryAdmit(MAX * 3)).isNull();
        backlog.taken();
        try (Admission.Ticket alone = admission.tryAdmit(MAX * 3)) {
            assertThat(alone).isNotNull();
            assertThat(admission.tryAdmit(1)).as("nothing beside it").isNull();
        }
    }

    /** Many writers check, reserve and append at once while a slow consumer drains: the queue never passes the bound. */
    @Test
    void concurrentWritersNeverTakeTheQueuePastTheBound() throws Exception {
        int writers = 16;
        AtomicInteger highest = new AtomicInteger();
        AtomicInteger admitted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        try {
            CompletableFuture<Void> delivery = CompletableFuture.runAsync(() -> {
                while (!done.get()) {
                    if (backlog.size() > 0) {
                        backlog.taken();
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(20_000);
                }
            }, pool);
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Void>> producers = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int events = 1 + w % 7;
                producers.add(CompletableFuture.runAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    for (int i = 0; i < 2_000; i++) {
                        Admission.Ticket ticket = admission.tryAdmit(events);
                        if (ticket == null) {
                            refused.incrementAndGet();
                            Thread.yield();
                            continue;
                        }
                        try (ticket) {
                            admitted.incrementAndGet();
                            for (int e = 0; e < events; e++) {
                                backlog.added();
                                highest.accumulateAndGet(backlog.size(), Math::max);
                            }
                        }
                    }
                }, pool));
            }
            start.countDown();
            CompletableFuture.allOf(producers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            done.set(true);
            delivery.get(10, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(refused.get()).as("the producers outran delivery").isPositive();
        assertThat(admitted.get()).isPositive();
        assertThat(highest.get()).as("the most ever queued").isLessThanOrEqualTo(MAX);
    }

    @Test
    void closedAdmissionRefusesWithShuttingDownWhileAdmittedWritesFinish() throws Exception {
        Admission.Ticket underWay = admission.admit(1);
        admission.close();
        assertThatThrownBy(() -> admission.admit(1)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.getStatus()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(e.getCode()).isEqualTo(ApiError.SHUTTING_DOWN);
            assertThat(e.getRetryAfterSeconds()).isEqualTo(2);
        });
        assertThat(admission.admitWaiting(1, Duration.ofSeconds(30))).as("no waiting once closed").isNull();
        assertThat(admission.awaitNoneInFlight(Duration.ofMillis(50))).isFalse();

        CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> admission.awaitNoneInFlight(Duration.ofSeconds(30)));
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !drained.isDone());
        underWay.close();
        underWay.close(); // closing twice releases once
        assertThat(drained.get(10, TimeUnit.SECONDS)).isTrue();

        admission.open();
        assertThat(admission.tryAdmit(1)).isNotNull();
    }

    @Test
    void inProcessProducersWaitForRoom() throws Exception {
        queue(MAX);
        CompletableFuture<Admission.Ticket> waiting = CompletableFuture.supplyAsync(
                () -> admission.admitWaiting(1, Duration.ofSeconds(30)));
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !waiting.isDone());
        backlog.taken();
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isNotNull();
        assertThat(admission.admitWaiting(1, Duration.ofMillis(100))).as("full again: gives up at the deadline").isNull();
    }
}
