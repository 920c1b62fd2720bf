package io.swarmcast.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens up to N idle subscribed connections in steps; after each step reports how long the step took and
 * the server's heap (live set after a full GC when its pid is known) and RSS per connection, against the
 * same figures with no connection open. Also reports the load generator's own heap per connection, which
 * is how the WebSocket client for it was chosen.
 */
final class ConnectionsScenario {

    private final Options options;

    ConnectionsScenario(Options options) {
        this.options = options;
    }

    void run() throws Exception {
        URI url = options.url();
        URI ws = options.wsUrl();
        int total = options.integer("clients", 10_000);
        List<Integer> steps = options.integers("steps", total / 10 + "," + total / 4 + "," + total / 2 + "," + total);
        String channels = options.string("channels", "messages");
        String wsKind = options.string("ws-client", "nio");
        int wsThreads = options.integer("ws-threads", 2);
        int concurrency = options.integer("connect-concurrency", 100);
        boolean gc = options.flag("gc", true);
        String label = options.string("label", "run");
        boolean header = options.flag("header", true);
        long settleMillis = options.duration("settle", java.time.Duration.ofSeconds(2)).toMillis();
        long pid = options.serverPid();
        options.checkAllUsed();

        long fdLimit = ProcStats.openFilesLimit(ProcessHandle.current().pid());
        if (fdLimit > 0 && fdLimit < total + 200L) {
            System.err.printf("warning: this JVM may open %d files (ulimit -n) and %d connections were asked for; "
                    + "raise it with 'ulimit -n %d' before starting both JVMs%n", fdLimit, total, total + 1024);
        }
        if (pid > 0) {
            long serverFds = ProcStats.openFilesLimit(pid);
            if (serverFds > 0 && serverFds < total + 200L) {
                System.err.printf("warning: the server may open only %d files (ulimit -n); it needs one per connection%n",
                        serverFds);
            }
        }

        ServerProbe probe = new ServerProbe(url);
        Table table = new Table("run", "client", "connections", "step s", "conn/s", "server heap MiB",
                "heap KiB/conn", "server RSS MiB", "RSS KiB/conn", "bench heap KiB/conn");
        if (header) {
            table.printHeader();
        }
        Memory base = measure(probe, pid, gc, settleMillis);
        table.row(label, wsKind, 0, "-", "-", mib(base.heap), "-", mib(base.rssKib * 1024), "-", "-");

        BenchClient.Shared shared = new BenchClient.Shared();
        List<BenchClient> open = new ArrayList<>();
        String subscribe = BenchClient.subscribe(channels);
        try (Ws.Client client = Ws.create(wsKind, wsThreads)) {
            try {
                connectInSteps(client, ws, steps, open, shared, subscribe, concurrency, table, label, wsKind, probe,
                        pid, gc, settleMillis, base);
            } finally {
                for (BenchClient c : open) {
                    if (c.conn() != null) {
                        c.conn().abort();
                    }
                }
            }
        }
    }

    private void connectInSteps(Ws.Client client, URI ws, List<Integer> steps, List<BenchClient> open,
                                BenchClient.Shared shared, String subscribe, int concurrency, Table table, String label,
                                String wsKind, ServerProbe probe, long pid, boolean gc, long settleMillis, Memory base)
            throws InterruptedException {
        {
            for (int target : steps) {
                if (target <= open.size()) {
                    continue;
                }
                List<BenchClient> batch = new ArrayList<>();
                for (int i = open.size(); i < target; i++) {
                    batch.add(new BenchClient(shared, subscribe, false));
                }
                long start = System.nanoTime();
                try {
                    Connector.connectAll(client, ws, batch, concurrency, 300_000, open.size());
                } catch (Connector.ConnectFailure e) {
                    System.err.println("ERROR at " + e.connected + " connections: " + e.getMessage());
                    table.row(label, wsKind, "failed at " + e.connected, "-", "-", "-", "-", "-", "-", "-");
                    open.addAll(batch);
                    break;
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                open.addAll(batch);
                if (shared.closed.sum() > 0) {
                    System.err.println("warning: " + shared.closed.sum() + " connections were closed by the server: "
                            + shared.lastClose);
                }
                Memory m = measure(probe, pid, gc, settleMillis);
                int n = open.size();
                table.row(label, wsKind, n, String.format("%.1f", seconds), Table.num(batch.size() / seconds),
                        mib(m.heap), perConn(m.heap - base.heap, n), mib(m.rssKib * 1024),
                        m.rssKib < 0 ? "n/a" : perConn((m.rssKib - base.rssKib) * 1024, n), perConn(m.benchHeap - base.benchHeap, n));
            }
        }
    }

    private record Memory(long heap, long rssKib, long benchHeap) {
    }

    private static Memory measure(ServerProbe probe, long pid, boolean gc, long settleMillis) throws InterruptedException {
        Thread.sleep(settleMillis);
        if (gc) {
            ServerProbe.gc(pid);
        }
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return new Memory(probe.heapUsed(), pid > 0 ? ProcStats.rssKib(pid) : -1, rt.totalMemory() - rt.freeMemory());
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "n/a" : String.format("%.0f", bytes / 1048576.0);
    }

    private static String perConn(long bytes, int n) {
        return n == 0 ? "-" : String.format("%.1f", bytes / 1024.0 / n);
    }
}
