package io.swarmcast.bench;

/**
 * The bearer tokens every call of this run presents, for a server started with authentication on: the viewer
 * token on each WebSocket handshake and read ({@code Authorization: Bearer}), the producer token on each POST.
 * Set once by {@link Main} from {@code --token} / {@code --producer-token}, else from the environment
 * ({@code SWARMCAST_VIEWER_TOKEN} / {@code SWARMCAST_PRODUCER_TOKEN}, the same variables the server reads, so
 * one export serves both). A whole run talks to servers with the same tokens, so process-wide state is enough.
 * Without tokens nothing is sent and the requests are exactly what they were before authentication existed.
 */
final class Auth {

    private static volatile String viewer = "";
    private static volatile String producer = "";

    private Auth() {
    }

    static void configure(Options options) {
        producer = check("producer-token", options.string("producer-token", env("SWARMCAST_PRODUCER_TOKEN")));
        viewer = check("token", options.string("token", env("SWARMCAST_VIEWER_TOKEN")));
    }

    /** The token for reads and WebSocket handshakes; a producer token also reads (docs/security.md). */
    static String viewer() {
        return viewer.isEmpty() ? producer : viewer;
    }

    /** The token for POSTs; a server with producer tokens only is the same server with viewer tokens too. */
    static String producer() {
        return producer.isEmpty() ? viewer : producer;
    }

    static boolean enabled() {
        return !viewer.isEmpty() || !producer.isEmpty();
    }

    /** {@code "Authorization: Bearer <token>\r\n"} for a hand-written request, or "" without a token. */
    static String headerLine(String token) {
        return token.isEmpty() ? "" : "Authorization: Bearer " + token + "\r\n";
    }

    private static String env(String name) {
        String value = System.getenv(name);
        // The server takes several comma-separated tokens in one variable; any one of them will do here.
        return value == null ? "" : value.split(",", -1)[0].trim();
    }

    /** The server's token rule: 16 to 512 of A-Z a-z 0-9 . _ ~ - (it refuses to start otherwise). */
    private static String check(String option, String token) {
        if (!token.isEmpty() && !token.matches("[A-Za-z0-9._~-]{16,512}")) {
            throw new IllegalArgumentException("--" + option + " must be 16 to 512 characters of A-Z a-z 0-9 . _ ~ -");
        }
        return token;
    }
}
