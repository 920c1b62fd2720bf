package io.swarmcast.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/** Connects many clients with a bounded number of handshakes in flight, and explains the usual failures. */
final class Connector {

    private Connector() {
    }

    /** Thrown when clients could not be connected; the message says what to change. */
    static final class ConnectFailure extends RuntimeException {
        final int connected;

        ConnectFailure(String message, int connected) {
            super(message);
            this.connected = connected;
        }
    }

    /**
     * Connects every client and waits until each is ready (subscribed). {@code alreadyConnected} is only for messages.
     */
    static void connectAll(Ws.Client ws, URI uri, List<BenchClient> clients, int concurrency, long timeoutMillis,
                           int alreadyConnected) throws InterruptedException {
        Semaphore inFlight = new Semaphore(Math.max(1, concurrency));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        CompletableFuture<?>[] all = new CompletableFuture<?>[clients.size()];
        for (int i = 0; i < clients.size(); i++) {
            BenchClient client = clients.get(i);
            long left = deadline - System.nanoTime();
            if (!inFlight.tryAcquire(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                throw new ConnectFailure("timed out opening connections (" + (alreadyConnected + i) + " open); "
                        + "handshakes stopped completing: " + hint(null), alreadyConnected + i);
            }
            CompletableFuture<BenchClient> ready = client.ready;
            all[i] = ws.connect(uri, client).thenCompose(conn -> {
                client.attach(conn);
                return ready;
            }).whenComplete((c, e) -> inFlight.release());
            if (all[i].isCompletedExceptionally()) {
                await(all[i], 0, alreadyConnected + i);
            }
        }
        for (int i = 0; i < all.length; i++) {
            await(all[i], Math.max(1, deadline - System.nanoTime()), alreadyConnected + i);
        }
    }

    /**
     * Like {@link #connectAll}, but a client that fails (a handshake reset in a burst of hundreds) does not stop the
     * others from being started: returns how many failed, with the first failure's explanation printed once.
     */
    static int connectAllTolerant(Ws.Client ws, URI uri, List<BenchClient> clients, int concurrency, long timeoutMillis)
            throws InterruptedException {
        Semaphore inFlight = new Semaphore(Math.max(1, concurrency));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        List<CompletableFuture<?>> all = new ArrayList<>(clients.size());
        for (BenchClient client : clients) {
            if (!inFlight.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                break;
            }
            CompletableFuture<BenchClient> ready = client.ready;
            all.add(connectRetrying(ws, uri, client, deadline).thenCompose(conn -> {
                client.attach(conn);
                return ready;
            }).whenComplete((c, e) -> inFlight.release()));
        }
        int failed = clients.size() - all.size();
        String first = null;
        for (CompletableFuture<?> future : all) {
            try {
                future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException | CompletionException e) {
                failed++;
                if (first == null) {
                    first = hint(e.getCause());
                }
            }
        }
        if (first != null) {
            System.err.println("  " + failed + " connections failed; the first: " + first);
        }
        if (retried.sum() > 0) {
            System.err.println("  " + retried.sumThenReset() + " handshakes were refused with Retry-After and tried again");
        }
        return failed;
    }

    private static final LongAdder retried = new LongAdder();

    /**
     * Connects, and when the handshake is refused with a 503 or 429 that carries {@code Retry-After}, tries again after
     * that long plus up to as long again at random, as a well-behaved client does (all coming back in the same
     * millisecond would only make the next storm), until the deadline.
     */
    private static CompletableFuture<Ws.Conn> connectRetrying(Ws.Client ws, URI uri, BenchClient client, long deadline) {
        return ws.connect(uri, client).handle((conn, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(conn);
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof Ws.HandshakeRefused refused && refused.asksToRetry()) {
                long pause = refused.retryAfterMillis + ThreadLocalRandom.current().nextLong(refused.retryAfterMillis + 1);
                if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pause) < deadline) {
                    retried.increment();
                    Executor later = CompletableFuture.delayedExecutor(pause, TimeUnit.MILLISECONDS);
                    return CompletableFuture.supplyAsync(() -> null, later)
                            .thenCompose(ignored -> connectRetrying(ws, uri, client, deadline));
                }
            }
            return CompletableFuture.<Ws.Conn>failedFuture(cause);
        }).thenCompose(f -> f);
    }

    private static void await(CompletableFuture<?> future, long nanos, int index) throws InterruptedException {
        try {
            future.get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new ConnectFailure("connection " + (index + 1) + " was not subscribed in time: " + hint(null), index);
        } catch (ExecutionException | CompletionException e) {
            throw new ConnectFailure("connection " + (index + 1) + " failed: " + hint(e.getCause()), index);
        }
    }

    /** Names the limit that is most likely in the way. */
    static String hint(Throwable cause) {
        String text = cause == null ? "" : String.valueOf(cause.getMessage());
        if (text.contains("Too many open files")) {
            return "Too many open files: the load generator's file-descriptor limit (ulimit -n = "
                    + ProcStats.openFilesLimit(ProcessHandle.current().pid())
                    + ") is reached; raise it with 'ulimit -n 65536' in the shell that starts both JVMs";
        }
        if (text.contains("1013")) {
            return text + ": the server's swarmcast.max-connections is reached; start it with "
                    + "--swarmcast.max-connections=N above the client count";
        }
        if (text.contains(" 401") || text.contains(" 403")) {
            return text + ": the server has authentication on; give the viewer token with --token or "
                    + "SWARMCAST_VIEWER_TOKEN (bench/run.sh: AUTH=1)" + (Auth.enabled() ? " (the one sent was refused)" : "");
        }
        if (text.contains("Connection refused")) {
            return text + ": nothing listens there (is the server up?)";
        }
        String base = cause == null ? "" : cause + "; ";
        return base + "if this happens near 8192 connections, Tomcat's server.tomcat.max-connections (default 8192) "
                + "is the limit: start the server with --server.tomcat.max-connections=N; also check the server's "
                + "'ulimit -n' and swarmcast.max-connections";
    }
}
