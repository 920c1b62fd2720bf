package io.swarmcast.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few control calls to the server: readiness, heap used, the in-process source, a forced GC. With
 * {@link Auth} tokens, reads carry the viewer token (the health probe itself is open, its details are not) and
 * POSTs the producer token.
 */
final class ServerProbe {

    private static final Pattern VALUE = Pattern.compile("\"value\"\\s*:\\s*([0-9.Ee+-]+)");
    private static final Pattern SOCKET = Pattern.compile("\"socket\"\\s*:\\s*\"([a-z]+)\"");

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ServerProbe(URI base) {
        this.base = base;
    }

    HttpResponse<String> get(String path, Duration timeout) throws IOException, InterruptedException {
        return http.send(bearer(HttpRequest.newBuilder(base.resolve(path)), Auth.viewer()).timeout(timeout).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, Duration timeout) throws IOException, InterruptedException {
        return http.send(bearer(HttpRequest.newBuilder(base.resolve(path)), Auth.producer()).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Reads send the viewer token, the in-process source's POST the producer token; nothing when auth is off. */
    private static HttpRequest.Builder bearer(HttpRequest.Builder request, String token) {
        return token.isEmpty() ? request : request.header("Authorization", "Bearer " + token);
    }

    /** Waits until {@code /actuator/health} answers 200 (or, for other servers, until anything answers). */
    boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> health = get("/actuator/health", Duration.ofSeconds(2));
                if (health.statusCode() == 200 || health.statusCode() == 404) {
                    return true;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(200);
        }
        return false;
    }

    /** The socket path the server writes frames through (the swarmcast health details' {@code socket}), or "unknown". */
    String socketPath() throws InterruptedException {
        try {
            Matcher m = SOCKET.matcher(get("/actuator/health", Duration.ofSeconds(10)).body());
            return m.find() ? m.group(1) : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Heap used in bytes from {@code /actuator/metrics/jvm.memory.used?tag=area:heap}, or -1. */
    long heapUsed() {
        try {
            HttpResponse<String> response = get("/actuator/metrics/jvm.memory.used?tag=area:heap", Duration.ofSeconds(10));
            if (response.statusCode() != 200) {
                return -1;
            }
            Matcher m = VALUE.matcher(response.body());
            return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Asks the server JVM for a full GC with {@code jcmd P GC.run}, so heap used is the live set. */
    static boolean gc(long pid) {
        if (pid <= 0) {
            return false;
        }
        try {
            Process p = new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
