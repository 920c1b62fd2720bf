package io.swarmcast.domain;

import org.springframework.stereotype.Component;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The one lock under which every domain service changes its state and raises its event. Events are
 * raised synchronously, so holding the lock across both keeps the order of events equal to the order of
 * changes (two updates of one agent can never reach clients in the opposite order), and listeners that
 * call another service (a spawned agent joining the swarm's topology) cannot deadlock, as there is only
 * one lock. Holding it costs producers little: under it events only enter the log; the delivery thread
 * writes them to clients after.
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
        call(() -> {
            change.run();
            return null;
        });
    }
}
