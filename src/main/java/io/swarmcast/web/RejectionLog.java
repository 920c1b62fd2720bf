package io.swarmcast.web;

import lombok.extern.slf4j.Slf4j;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The INFO line for a rejected client (bad token, bad origin, oversize, rate limit, slow consumer, too many
 * connections...), rate-limited per kind of rejection: an attacker who triggers a million rejections must not
 * be able to fill the disk or drown the log. At most {@link #PER_WINDOW} lines per kind per window; the first
 * line after a window with suppressed lines says how many were left out. One line, never a stack trace.
 */
@Slf4j
public final class RejectionLog {

    static final int PER_WINDOW = 10;
    static final long WINDOW_NANOS = 10_000_000_000L;

    private static final ConcurrentHashMap<String, Window> WINDOWS = new ConcurrentHashMap<>();

    private RejectionLog() {
    }

    /** Logs {@code message} (an SLF4J pattern) at INFO under {@code kind}, unless this kind is over its budget. */
    public static void info(String kind, String message, Object... args) {
        Window window = WINDOWS.computeIfAbsent(kind, k -> new Window());
        int suppressed = window.admit(System.nanoTime());
        if (suppressed < 0) {
            return;
        }
        if (log.isInfoEnabled()) {
            String line = "rejected (" + kind + "): " + message
                    + (suppressed > 0 ? " [" + suppressed + " more " + kind + " rejections not logged]" : "");
            log.info(line, args);
        }
    }

    private static final class Window {
        private final AtomicLong startNanos = new AtomicLong(System.nanoTime());
        private final AtomicInteger logged = new AtomicInteger();
        private final AtomicInteger suppressed = new AtomicInteger();

        /** Returns -1 to suppress, else how many lines were suppressed since the last one logged. */
        int admit(long now) {
            long start = startNanos.get();
            if (now - start > WINDOW_NANOS && startNanos.compareAndSet(start, now)) {
                logged.set(0);
            }
            if (logged.incrementAndGet() > PER_WINDOW) {
                suppressed.incrementAndGet();
                return -1;
            }
            return suppressed.getAndSet(0);
        }
    }
}
