package io.swarmcast.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Free local ports for servers a test starts itself (a jar, a second application context, a Redis server). */
public final class FreePorts {

    private FreePorts() {
    }

    public static int one() {
        return distinct(1)[0];
    }

    /** Distinct free ports: the sockets are held open together, so no port is handed out twice. */
    public static int[] distinct(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0));
            }
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // the port is released either way
                }
            }
        }
    }

    /**
     * A free port whose successor is free too: the compatibility listener (port + 1) could start there, or a test
     * can take the successor itself to see what happens when it is busy.
     */
    public static int withFreeSuccessor() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = one();
            if (port < 65535) {
                try (ServerSocket next = new ServerSocket(port + 1)) {
                    return port;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IllegalStateException("no two adjacent free ports found");
    }
}
