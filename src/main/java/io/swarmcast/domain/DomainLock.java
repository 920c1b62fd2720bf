package io.swarmcast.domain;

import org.springframework.stereotype.Component;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The one lock under which every domain service changes its state and raises its event. Events are
 * raised synchronously, so holding the lock across both keeps the order of events equal to the order of
 * changes (two updates of one agent can never reach clients in the opposite order), and listeners that
 * call another service (a spawned agent joining the swarm's topology) cannot deadlock, as there is only
 * one lock. Everything that changes state waits for it in turn, so what runs under it must stay short: a state
 * change and appending its events to the log. Nothing under it may wait for clients or for delivery (the
 * delivery thread writes to clients after the lock is released), and admission control refuses work before
 * the lock is taken rather than stalling it here.
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
