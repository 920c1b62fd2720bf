package io.swarmcast.server;

/**
 * Test-only: drops every client connection from the server's side while the server stays up, as it does to a
 * slow consumer (close 1013), so tests can check that a client resumes without losing what was published
 * meanwhile. It lives in the test sources, in the server's package, to reach {@link Connections} without
 * widening main code.
 */
public final class ServerSideDrop {

    private ServerSideDrop() {
    }

    /**
     * Closes every connected client. When this returns, each client's send queue is already closed, so any
     * event published afterwards can reach those clients only through their resume.
     *
     * @return how many clients were connected
     */
    public static int dropAllClients(EventServer server) {
        int connected = server.getConnectedClients();
        server.connections().closeAll(CloseReason.SLOW_CONSUMER);
        return connected;
    }
}
