package io.swarmcast.bench;

import org.HdrHistogram.Histogram;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A reconnect storm: many clients drop and all come back at once with {@code subscribe} + {@code sinceSeq} while
 * events flow to other, live clients. Reports the live clients' latency in a quiet phase and during the storm
 * (from the reconnect until every storming client has caught up), so that a storm's cost to everyone else shows:
 * snapshots and catch-ups run on the delivery path, and must not stall it. Also checks that every storming
 * client got every accepted seq exactly once.
 */
final class StormScenario {

    private final Options options;

    StormScenario(Options options) {
        this.options = options;
    }

    void run() throws Exception {
        URI url = options.url();
        URI ws = options.wsUrl();
        int liveCount = options.integer("live", 50);
        int stormCount = options.integer("clients", 500);
        double rate = Double.parseDouble(options.string("rate", "1000"));
        int batch = options.integer("batch", 1);
        int producers = options.integer("producers", 4);
        String channels = options.string("channels", "messages");
        Duration warmup = options.duration("warmup", Duration.ofSeconds(3));
        Duration quiet = options.duration("quiet", Duration.ofSeconds(5));
        Duration down = options.duration("down", Duration.ofSeconds(2));
        Duration minStorm = options.duration("min-storm", Duration.ofSeconds(1));
        Duration catchUpLimit = options.duration("catch-up-timeout", Duration.ofSeconds(30));
        // Storms run and not measured first: the server's and this load generator's JIT compile the storm's code
        // (handshakes, resume, catch-up parsing) there, so the measured storm is the server's, not a first run's.
        int rehearsals = options.integer("rehearsals", 0);
        String wsKind = options.string("ws-client", "nio");
        int wsThreads = options.integer("ws-threads", 2);
        String label = options.string("label", "run");
        boolean header = options.flag("header", true);
        long pid = options.serverPid();
        options.checkAllUsed();

        BenchClient.Shared liveShared = new BenchClient.Shared();
        BenchClient.Shared stormShared = new BenchClient.Shared();
        String subscribe = BenchClient.subscribe(channels);
        List<BenchClient> live = new ArrayList<>();
        for (int i = 0; i < liveCount; i++) {
            live.add(new BenchClient(liveShared, subscribe, false));
        }
        List<BenchClient> storm = new ArrayList<>();
        for (int i = 0; i < stormCount; i++) {
            storm.add(new BenchClient(stormShared, subscribe, true));
        }
        BitSet accepted = new BitSet();
        Producer producer = new Producer(url, Producer.Mode.API, batch, rate, producers, accepted);

        FanoutScenario.log("storm: %d live clients, %d clients reconnecting at once, %s ev/s, %d ms down", liveCount,
                stormCount, Table.num(rate), down.toMillis());
        // Live and storming clients read on separate threads, as they would in separate browsers: otherwise the
        // load generator's own parsing of the catch-ups delays the live frames and is counted as server latency.
        Ws.Client wsClient = Ws.create(wsKind, wsThreads);
        Ws.Client stormWsClient = Ws.create(wsKind, wsThreads);
        try {
            Connector.connectAll(wsClient, ws, live, 100, 60_000, 0);
            Connector.connectAll(stormWsClient, ws, storm, 100, 60_000, liveCount);
            String epoch = storm.get(0).epoch;
            double maxSeconds = (warmup.toMillis() + quiet.toMillis() + (rehearsals + 1) * (down.toMillis()
                    + catchUpLimit.toMillis()) + minStorm.toMillis()) / 1000.0 + 10;
            CompletableFuture<Producer.Result> flowing = CompletableFuture.supplyAsync(() -> {
                try {
                    return producer.run(maxSeconds);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(warmup.toMillis());
            for (int r = 0; r < rehearsals; r++) {
                dropAll(storm, down, epoch);
                Connector.connectAllTolerant(stormWsClient, ws, storm, stormCount, catchUpLimit.toMillis());
                long rehearsalEnd = System.nanoTime() + catchUpLimit.toNanos();
                for (BenchClient client : storm) {
                    try {
                        client.caughtUpMicros.get(Math.max(1, rehearsalEnd - System.nanoTime()), TimeUnit.NANOSECONDS);
                    } catch (TimeoutException e) {
                        FanoutScenario.log("  a client did not catch up in rehearsal %d", r + 1);
                    }
                }
                // Let the JITs and the machine settle before the quiet phase is measured.
                Thread.sleep(quiet.toMillis());
            }
            liveShared.latency.reset();
            ProcStats.Sample cpuQuiet = new ProcStats.Sample(pid);
            Thread.sleep(quiet.toMillis());
            Histogram quietLatency = liveShared.latency.getIntervalHistogram();
            ProcStats.Usage quietUsage = cpuQuiet.until(new ProcStats.Sample(pid));

            long[] droppedAt = dropAll(storm, down, epoch);
            liveShared.latency.reset();
            ProcStats.Sample cpuStorm = new ProcStats.Sample(pid);
            long reconnectMicros = Micros.now();
            long stormStart = System.nanoTime();
            // All at once: as many handshakes in flight as there are clients. One that fails (its handshake reset
            // in the burst) is counted below as not caught up; it does not stop the others.
            Connector.connectAllTolerant(stormWsClient, ws, storm, stormCount, catchUpLimit.toMillis());
            Histogram catchUp = new Histogram(3);
            long recovered = 0;
            long failed = 0;
            long missedTotal = 0;
            long deadline = stormStart + catchUpLimit.toNanos();
            for (int i = 0; i < stormCount; i++) {
                BenchClient client = storm.get(i);
                if (Boolean.TRUE.equals(client.recovered)) {
                    recovered++;
                }
                try {
                    long at = client.caughtUpMicros.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    catchUp.recordValue(Math.max(0, at - reconnectMicros));
                    missedTotal += Math.max(0, client.catchUpTarget - droppedAt[i]);
                } catch (TimeoutException e) {
                    failed++;
                }
            }
            long stormLeft = stormStart + minStorm.toNanos() - System.nanoTime();
            if (stormLeft > 0) {
                Thread.sleep(TimeUnit.NANOSECONDS.toMillis(stormLeft));
            }
            Histogram stormLatency = liveShared.latency.getIntervalHistogram();
            double stormSeconds = (System.nanoTime() - stormStart) / 1e9;
            ProcStats.Usage stormUsage = cpuStorm.until(new ProcStats.Sample(pid));

            producer.stop();
            Producer.Result flow = flowing.join();
            long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < waitUntil && storm.stream().anyMatch(c -> c.lastSeq < flow.maxSeq())) {
                Thread.sleep(20);
            }
            BitSet acceptedCopy;
            synchronized (accepted) {
                acceptedCopy = (BitSet) accepted.clone();
            }
            long lost = 0;
            long duplicates = 0;
            long outOfOrder = 0;
            for (BenchClient client : storm) {
                lost += Math.max(0, client.missing(acceptedCopy, 0, flow.maxSeq()));
                duplicates += client.duplicates;
                outOfOrder += client.outOfOrder;
            }
            long quietP99 = quietLatency.getValueAtPercentile(99);
            long stormP99 = stormLatency.getValueAtPercentile(99);
            double ratio = quietP99 > 0 ? (double) stormP99 / quietP99 : Double.NaN;
            boolean delivered = lost == 0 && duplicates == 0 && outOfOrder == 0 && failed == 0
                    && liveShared.closed.sum() == 0;
            Table table = new Table("run", "live clients", "storm clients", "offered ev/s", "ingest ev/s",
                    "missed events / client", "recovered", "quiet p50 ms", "quiet p99 ms", "storm p50 ms", "storm p99 ms",
                    "storm max ms", "p99 storm / quiet", "storm s", "catch-up p50 ms", "catch-up p99 ms",
                    "cores quiet / storm (server)", "lost", "result");
            if (header) {
                table.printHeader();
            }
            table.row(label, liveCount, stormCount, Table.num(rate), Table.num(flow.eventsPerSecond()),
                    Table.num(stormCount == 0 ? 0 : (double) missedTotal / stormCount), recovered + "/" + stormCount,
                    Table.ms(quietLatency.getValueAtPercentile(50)), Table.ms(quietP99),
                    Table.ms(stormLatency.getValueAtPercentile(50)), Table.ms(stormP99),
                    Table.ms(stormLatency.getMaxValue()), Double.isNaN(ratio) ? "-" : String.format("%.2f", ratio),
                    String.format("%.1f", stormSeconds), Table.ms(catchUp.getValueAtPercentile(50)),
                    Table.ms(catchUp.getValueAtPercentile(99)),
                    String.format("%.2f / %.2f", quietUsage.serverCores(), stormUsage.serverCores()), lost,
                    !delivered ? "FAIL (delivery)" : ratio <= 2 ? "PASS" : "p99 over 2x");
            if (flow.errors() > 0) {
                FanoutScenario.log("  producer errors: %d (first: %s)", flow.errors(), flow.firstError());
            }
            if (liveShared.lastClose != null || stormShared.lastClose != null) {
                FanoutScenario.log("  a client was closed: live %s, storm %s", liveShared.lastClose, stormShared.lastClose);
            }
            if (failed > 0) {
                FanoutScenario.log("  %d storming clients did not catch up within %d s", failed, catchUpLimit.toSeconds());
            }
        } finally {
            producer.stop();
            for (BenchClient client : live) {
                if (client.conn() != null) {
                    client.conn().close();
                }
            }
            for (BenchClient client : storm) {
                if (client.conn() != null) {
                    client.conn().close();
                }
            }
            wsClient.close();
            stormWsClient.close();
        }
    }

    /**
     * Drops every storming client at once, waits {@code down}, and makes each ready to resume from where it was in
     * {@code epoch}; returns the seq each had reached.
     */
    private static long[] dropAll(List<BenchClient> storm, Duration down, String epoch) throws InterruptedException {
        long[] droppedAt = new long[storm.size()];
        for (int i = 0; i < storm.size(); i++) {
            storm.get(i).conn().abort();
            droppedAt[i] = storm.get(i).lastSeq;
        }
        Thread.sleep(down.toMillis());
        for (BenchClient client : storm) {
            client.rearm();
            client.resumeEpoch = epoch;
        }
        return droppedAt;
    }
}
