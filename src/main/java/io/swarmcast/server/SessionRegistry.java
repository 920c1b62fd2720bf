package io.swarmcast.server;

import java.util.Arrays;

/**
 * The connected clients. Fan-out reads the array on every event without locking; connects and
 * disconnects, which are rare by comparison, copy it.
 */
final class SessionRegistry {

    private static final ClientSession[] NONE = new ClientSession[0];

    private final int maxConnections;
    private volatile ClientSession[] sessions = NONE;

    SessionRegistry(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    /** Adds the session unless maxConnections are already connected. */
    synchronized boolean tryAdd(ClientSession session) {
        ClientSession[] current = sessions;
        if (current.length >= maxConnections) {
            return false;
        }
        ClientSession[] grown = Arrays.copyOf(current, current.length + 1);
        grown[current.length] = session;
        sessions = grown;
        return true;
    }

    synchronized void remove(ClientSession session) {
        ClientSession[] current = sessions;
        for (int i = 0; i < current.length; i++) {
            if (current[i] == session) {
                ClientSession[] shrunk = new ClientSession[current.length - 1];
                System.arraycopy(current, 0, shrunk, 0, i);
                System.arraycopy(current, i + 1, shrunk, i, current.length - i - 1);
                sessions = shrunk;
                return;
            }
        }
    }

    ClientSession[] all() {
        return sessions;
    }

    int size() {
        return sessions.length;
    }
}
