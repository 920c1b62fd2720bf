package io.swarmcast;

import java.util.concurrent.ThreadFactory;

/**
 * Swarmcast's own background threads: named, so a thread dump or the benchmark's per-thread CPU table says
 * whose they are, and daemons, so none of them can keep the JVM alive after Spring has shut down.
 */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** A factory whose threads are all daemons called {@code name}. */
    public static ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
