package io.swarmcast.domain;

import org.springframework.stereotype.Component;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The one lock under which every domain service changes its state and raises its event. Events are
 * raised synchronously, so holding the lock across both keeps the order of events equal to the order of
 * changes (two updates of one agent can never reach clients in the opposite order), and listeners that
 * call another service (a spawned agent joining the swarm's topology) cannot deadlock, as there is only
 * one lock. Fan-out is serialised anyway, so one lock costs no delivery throughput.
 */
@Component
public class DomainLock {

    private final ReentrantLock lock = new ReentrantLock();
    private volatile Scope scope = Scope.NONE;

    /**
     * What happens around the outermost hold of the lock, on the holding thread. The publisher uses it to
     * append events to the log while the lock is held but deliver them to clients after it is released, so
     * no producer waits on socket writes for another producer's events.
     */
    public interface Scope {
        Scope NONE = new Scope() {
            @Override
            public void entered() {
            }

            @Override
            public void left() {
            }
        };

        void entered();

        /** Runs after the lock is released. */
        void left();
    }

    public void scope(Scope newScope) {
        this.scope = newScope;
    }

    public <T> T call(Supplier<T> change) {
        boolean outermost = !lock.isHeldByCurrentThread();
        lock.lock();
        if (outermost) {
            scope.entered();
        }
        try {
            return change.get();
        } finally {
            lock.unlock();
            if (outermost) {
                scope.left();
            }
        }
    }

    public void run(Runnable change) {
        call(() -> {
            change.run();
            return null;
        });
    }
}
