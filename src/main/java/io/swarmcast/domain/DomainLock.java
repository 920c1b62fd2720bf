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

    public <T> T call(Supplier<T> change) {
        lock.lock();
        try {
            return change.get();
        } finally {
            lock.unlock();
        }
    }

    public void run(Runnable change) {
        lock.lock();
        try {
            change.run();
        } finally {
            lock.unlock();
        }
    }
}
