package io.swarmcast.admission;

import org.springframework.stereotype.Component;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Work items waiting for the delivery thread: events, ephemeral events and subscription tasks. The fan-out
 * counts them in and out; {@link Admission} reads the count. A bean of its own so that both can share it
 * without knowing each other.
 */
@Component
public class DeliveryBacklog {

    private final AtomicInteger items = new AtomicInteger();

    /** One item was queued for delivery. */
    public void added() {
        items.incrementAndGet();
    }

    /** The delivery thread took one item out. */
    public void taken() {
        items.decrementAndGet();
    }

    public int size() {
        return items.get();
    }
}
