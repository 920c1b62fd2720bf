package io.swarmcast.domain;

/**
 * An application event a domain service raises after a change ({@code AgentChanged}, {@code TaskUpdated}...).
 * It carries its {@link Publication}, which the dashboard publisher completes with the seq it got, so that the
 * caller of the service can learn the seq from the event the service returned, not from a thread-local.
 */
public interface DomainEvent {

    Publication publication();
}
