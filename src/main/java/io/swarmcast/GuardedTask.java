package io.swarmcast;

import lombok.extern.slf4j.Slf4j;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A periodic task that survives its own failures. A {@code ScheduledExecutorService} cancels a periodic task
 * silently the first time it throws, so a heartbeat or send watchdog that met one bad connection, or an
 * {@link OutOfMemoryError} that some other thread caused, would stop for good with nothing in the log.
 * This catches every {@link Throwable}, logs it at ERROR (with its stack trace the first time, then at most one
 * line a minute, so a failure on every tick cannot flood the log) and lets the next run happen. An
 * {@link OutOfMemoryError} still ends the process: the launch script, the Docker image and the README's
 * {@code java -jar} line run the JVM with {@code -XX:+ExitOnOutOfMemoryError}, which exits when the error is
 * thrown, before any catch.
 */
@Slf4j
public final class GuardedTask implements Runnable {

    private static final long LOG_EVERY_NANOS = 60_000_000_000L;

    private final String name;
    private final Runnable task;
    private final AtomicLong failures = new AtomicLong();
    private volatile long lastLoggedNanos;

    private GuardedTask(String name, Runnable task) {
        this.name = name;
        this.task = task;
    }

    /** {@code task}, guarded; {@code name} says in the log what failed ("heartbeat", "metrics tick"). */
    public static Runnable of(String name, Runnable task) {
        return new GuardedTask(name, task);
    }

    @Override
    public void run() {
        try {
            task.run();
        } catch (Throwable e) {
            failed(name, e, failures, this);
        }
    }

    private static void failed(String name, Throwable e, AtomicLong failures, GuardedTask guard) {
        long count = failures.incrementAndGet();
        long now = System.nanoTime();
        if (count == 1) {
            guard.lastLoggedNanos = now;
            log.error("{} failed; it runs again as scheduled", name, e);
        } else if (now - guard.lastLoggedNanos > LOG_EVERY_NANOS) {
            guard.lastLoggedNanos = now;
            log.error("{} failed again ({} failures so far): {}", name, count, e.toString());
        }
    }
}
