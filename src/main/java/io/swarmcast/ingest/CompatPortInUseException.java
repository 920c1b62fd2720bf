package io.swarmcast.ingest;

/** The compatibility port set with {@code swarmcast.compat-port} is taken: the server does not start. */
public class CompatPortInUseException extends RuntimeException {

    private final int port;

    CompatPortInUseException(int port) {
        super("Port " + port + " (swarmcast.compat-port) is already in use");
        this.port = port;
    }

    public int port() {
        return port;
    }
}
