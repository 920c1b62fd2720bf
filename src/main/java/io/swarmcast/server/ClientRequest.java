package io.swarmcast.server;

import io.swarmcast.event.Channel;

import java.util.Set;

/** A client's request frame, read and checked by {@link ClientRequestParser}. */
sealed interface ClientRequest {

    /**
     * @param single   the channel when the request named exactly one with {@code channel}, else null
     * @param sinceSeq resume point, or null for no recovery
     * @param epoch    the epoch the client's sinceSeq belongs to; null means the current one
     * @param swarm    the swarm named (internal id: null for {@code "default"}); absent means the connection's swarm
     * @param swarmNamed whether the request named a swarm at all
     */
    record Subscribe(Set<Channel> channels, String single, Long sinceSeq, String epoch, boolean snapshot,
                     String swarm, boolean swarmNamed)
            implements ClientRequest {
    }

    record Unsubscribe(Set<Channel> channels, String single) implements ClientRequest {
    }

    record Ping() implements ClientRequest {
    }

    /**
     * Exactly one of {@code since} and {@code sinceSeq} is set.
     *
     * @param channels the channels asked for, or null for the connection's subscriptions
     * @param swarm    the swarm named (internal id), when {@code swarmNamed}; else the connection's swarm
     */
    record Replay(Long since, Long sinceSeq, Set<Channel> channels, int limit, String swarm, boolean swarmNamed) implements ClientRequest {
    }
}
