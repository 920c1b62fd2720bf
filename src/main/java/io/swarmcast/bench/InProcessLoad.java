package io.swarmcast.bench;

import io.swarmcast.DaemonThreads;
import io.swarmcast.admission.Admission;
import io.swarmcast.event.MessageSentEvent;
import io.swarmcast.event.MessageType;
import io.swarmcast.server.EventServer;
import lombok.RequiredArgsConstructor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes {@code message:sent} events straight into {@link EventServer#broadcast}, at a fixed rate, on a
 * thread of its own: the fan-out measured without HTTP ingest and the domain services in front of it. Each
 * event's payload is {@code {"t":<send time in epoch microseconds>}}, which the load generator's clients read
 * to measure end-to-end latency. One run at a time. Exists only with {@code swarmcast.bench.enabled=true}.
 */
@RequiredArgsConstructor
@Component
@ConditionalOnProperty(prefix = "swarmcast.bench", name = "enabled", havingValue = "true")
public class InProcessLoad {

    /** Source and target of the generated messages, so they are easy to tell apart from real traffic. */
    public static final String SOURCE = "bench-inprocess";
    public static final String TARGET = "bench-sink";

    /** How long one event may wait for admission before the run gives up: delivery is then stuck, not slow. */
    private static final Duration MAX_ADMISSION_WAIT = Duration.ofSeconds(10);

    private final EventServer server;
    private final Admission admission;
    private final AtomicBoolean running = new AtomicBoolean();

    /** What one run did. */
    public record Result(long emitted, double seconds) {
        public double rate() {
            return seconds > 0 ? emitted / seconds : 0;
        }
    }

    /**
     * Emits events for {@code seconds} at {@code ratePerSecond} (0: as fast as one thread can) and returns
     * when done. The work runs on its own thread so the caller's thread (a request) is not what is measured.
     *
     * @return the result, or null when another run is in progress
     */
    public Result run(double ratePerSecond, double seconds) throws InterruptedException {
        if (!running.compareAndSet(false, true)) {
            return null;
        }
        try {
            FutureTask<Result> task = new FutureTask<>(() -> emit(ratePerSecond, seconds));
            DaemonThreads.named("swarmcast-bench-load").newThread(task).start();
            try {
                return task.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("in-process load failed", e.getCause());
            }
        } finally {
            running.set(false);
        }
    }

    private Result emit(double ratePerSecond, double seconds) {
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        double nanosPerEvent = ratePerSecond > 0 ? 1e9 / ratePerSecond : 0;
        long emitted = 0;
        long now = start;
        while (now < end) {
            // Events due by now on a fixed schedule; a late thread catches up instead of drifting.
            long due = nanosPerEvent == 0 ? emitted + 1 : (long) ((now - start) / nanosPerEvent) + 1;
            while (emitted < due) {
                // Obeys the delivery bound like every producer, waiting (it holds no lock) while delivery is behind.
                try (Admission.Ticket ticket = admission.admitWaiting(1, MAX_ADMISSION_WAIT)) {
                    if (ticket == null) {
                        throw new IllegalStateException("delivery took nothing for " + MAX_ADMISSION_WAIT + ", or the server is stopping");
                    }
                    server.broadcast(event(emitted++));
                }
            }
            if (nanosPerEvent > 0) {
                long next = start + (long) (due * nanosPerEvent);
                now = System.nanoTime();
                if (next > now) {
                    LockSupport.parkNanos(Math.min(next, end) - now);
                }
            }
            now = System.nanoTime();
        }
        return new Result(emitted, (System.nanoTime() - start) / 1e9);
    }

    private static MessageSentEvent event(long n) {
        Instant now = Instant.now();
        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        ObjectNode payload = JsonNodeFactory.instance.objectNode().put("t", micros);
        return new MessageSentEvent("bench-" + n, SOURCE, TARGET, MessageType.BROADCAST, payload, 0, micros / 1_000);
    }
}
