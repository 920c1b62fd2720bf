package io.swarmcast.server;

import io.swarmcast.event.Channel;

import java.util.Set;

/** A client's request frame, read and checked by {@link ClientRequestParser}. */
sealed interface ClientRequest {

    /**
     * @param single   the channel when the request named exactly one with {@code channel}, else null
     * @param sinceSeq resume point, or null for no recovery
     * @param epoch    the epoch the client's sinceSeq belongs to; null means the current one
     * @param conflate whether the connection's live frames are conflated when it falls behind; null leaves it as it was
     * @param swarm    the swarm named (internal id: null for {@code "default"}); absent means the connection's swarm
     * @param swarmNamed whether the request named a swarm at all
     */
    record Subscribe(Set<Channel> channels, String single, Long sinceSeq, String epoch, boolean snapshot,
                     Boolean conflate, String swarm, boolean swarmNamed) implements ClientRequest {
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

    /**
     * Starts a playback: exactly one of {@code fromSeq} and {@code from} is set.
     *
     * @param toSeq    where it ends, or null to play until it reaches the log's newest seq
     * @param speed    original spacing divided by this; 0 plays as fast as the client reads
     * @param channels the channels asked for, or null for the connection's subscriptions
     */
    record Playback(Long fromSeq, Long from, Long toSeq, double speed, Set<Channel> channels) implements ClientRequest {
    }

    /** {@code pause}, {@code resume} or {@code stop} of the connection's playback. */
    record PlaybackControl(Action action) implements ClientRequest {
        enum Action { PAUSE, RESUME, STOP }
    }

    /** Moves the playback to another point: exactly one of {@code toSeq} and {@code to} is set. */
    record Seek(Long toSeq, Long to) implements ClientRequest {
    }
}
