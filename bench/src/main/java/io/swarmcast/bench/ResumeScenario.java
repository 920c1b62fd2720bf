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
 * Clients drop (abort, no close handshake) and come back with {@code subscribe} + {@code sinceSeq} + {@code epoch}
 * while events keep flowing. Reports how long they take to catch up (from reconnecting to receiving the
 * newest event the log held when they reconnected) and checks that every seq the server accepted reached
 * every client exactly once.
 */
final class ResumeScenario {

    private final Options options;

    ResumeScenario(Options options) {
        this.options = options;
    }

    void run() throws Exception {
        URI url = options.url();
        URI ws = options.wsUrl();
        int clientCount = options.integer("clients", 100);
        double rate = Double.parseDouble(options.string("rate", "5000"));
        int batch = options.integer("batch", 1);
        int producers = options.integer("producers", 4);
        int rounds = options.integer("rounds", 3);
        Duration down = options.duration("down", Duration.ofSeconds(1));
        Duration warmup = options.duration("warmup", Duration.ofSeconds(2));
        Duration gap = options.duration("gap", Duration.ofSeconds(2));
        Duration catchUpLimit = options.duration("catch-up-timeout", Duration.ofSeconds(30));
        String wsKind = options.string("ws-client", "nio");
        int wsThreads = options.integer("ws-threads", 2);
        boolean since = options.flag("since", true);
        String label = options.string("label", "run");
        boolean header = options.flag("header", true);
        long pid = options.serverPid();
        options.checkAllUsed();

        BenchClient.Shared shared = new BenchClient.Shared();
        List<BenchClient> clients = new ArrayList<>();
        String subscribe = BenchClient.subscribe("messages");
        for (int i = 0; i < clientCount; i++) {
            clients.add(new BenchClient(shared, subscribe, true));
        }
        BitSet accepted = new BitSet();
        Producer producer = new Producer(url, Producer.Mode.API, batch, rate, producers, accepted);
        Histogram catchUp = new Histogram(3);
        long recoveredTrue = 0;
        long recoveredFalse = 0;
        long missedTotal = 0;
        long resumes = 0;
        long failedResumes = 0;
        ProcStats.Sample cpuStart;
        Producer.Result flow;

        FanoutScenario.log("resume: %d clients, %s ev/s, %d rounds of %d ms down", clientCount, Table.num(rate), rounds,
                down.toMillis());
        Ws.Client wsClient = Ws.create(wsKind, wsThreads);
        try {
            Connector.connectAll(wsClient, ws, clients, 100, 60_000, 0);
            String epoch = clients.get(0).epoch;
            double maxSeconds = warmup.toMillis() / 1000.0
                    + rounds * (down.toMillis() + gap.toMillis() + catchUpLimit.toMillis()) / 1000.0 + 10;
            CompletableFuture<Producer.Result> flowing = CompletableFuture.supplyAsync(() -> {
                try {
                    return producer.run(maxSeconds);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            });
            cpuStart = new ProcStats.Sample(pid);
            Thread.sleep(warmup.toMillis());
            for (int round = 1; round <= rounds; round++) {
                long[] droppedAt = new long[clientCount];
                for (int i = 0; i < clientCount; i++) {
                    clients.get(i).conn().abort();
                    droppedAt[i] = clients.get(i).lastSeq;
                }
                Thread.sleep(down.toMillis());
                for (BenchClient client : clients) {
                    client.rearm();
                    client.resumeEpoch = epoch;
                    client.useSince = since;
                }
                long reconnectMicros = Micros.now();
                try {
                    Connector.connectAll(wsClient, ws, clients, clientCount, catchUpLimit.toMillis(), 0);
                } catch (Connector.ConnectFailure e) {
                    FanoutScenario.log("  round %d: reconnect failed: %s", round, e.getMessage());
                }
                long deadline = System.nanoTime() + catchUpLimit.toNanos();
                for (int i = 0; i < clientCount; i++) {
                    BenchClient client = clients.get(i);
                    resumes++;
                    if (Boolean.TRUE.equals(client.recovered)) {
                        recoveredTrue++;
                    } else {
                        recoveredFalse++;
                    }
                    try {
                        long at = client.caughtUpMicros.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                        catchUp.recordValue(Math.max(0, at - reconnectMicros));
                        missedTotal += Math.max(0, client.catchUpTarget - droppedAt[i]);
                    } catch (TimeoutException e) {
                        failedResumes++;
                    }
                }
                FanoutScenario.log("  round %d: %d clients back, catch-up max %.1f ms", round, clientCount,
                        catchUp.getMaxValue() / 1000.0);
                Thread.sleep(gap.toMillis());
            }
            producer.stop();
            flow = flowing.join();
            // Let the last events arrive everywhere.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && clients.stream().anyMatch(c -> c.lastSeq < flow.maxSeq())) {
                Thread.sleep(20);
            }
            ProcStats.Usage usage = cpuStart.until(new ProcStats.Sample(pid));

            long lost = 0;
            long duplicates = 0;
            long outOfOrder = 0;
            BitSet acceptedCopy;
            synchronized (accepted) {
                acceptedCopy = (BitSet) accepted.clone();
            }
            for (BenchClient client : clients) {
                lost += Math.max(0, client.missing(acceptedCopy, 0, flow.maxSeq()));
                duplicates += client.duplicates;
                outOfOrder += client.outOfOrder;
            }
            // Without sinceSeq nothing is "recovered": then only the delivery counts (and must show the loss).
            boolean pass = lost == 0 && duplicates == 0 && outOfOrder == 0 && failedResumes == 0
                    && (recoveredFalse == 0 || !since);
            Table table = new Table("run", "clients", "rounds", "offered ev/s", "ingest ev/s", "down ms",
                    "missed events / client", "recovered", "catch-up p50 ms", "p99 ms", "max ms", "lost", "duplicates",
                    "out of order", "cores server / bench / other", "result");
            if (header) {
                table.printHeader();
            }
            table.row(label, clientCount, rounds, Table.num(rate), Table.num(flow.eventsPerSecond()), down.toMillis(),
                    Table.num(resumes == 0 ? 0 : (double) missedTotal / resumes), recoveredTrue + "/" + resumes,
                    Table.ms(catchUp.getValueAtPercentile(50)), Table.ms(catchUp.getValueAtPercentile(99)),
                    Table.ms(catchUp.getMaxValue()), lost, duplicates, outOfOrder, usage.coresText(),
                    pass ? "PASS" : "FAIL");
            if (flow.errors() > 0) {
                FanoutScenario.log("  producer errors: %d (first: %s)", flow.errors(), flow.firstError());
            }
            if (shared.lastError != null) {
                FanoutScenario.log("  last error frame: %s", shared.lastError);
            }
            if (failedResumes > 0) {
                FanoutScenario.log("  %d resumes did not catch up within %d s", failedResumes, catchUpLimit.toSeconds());
            }
        } finally {
            producer.stop();
            for (BenchClient client : clients) {
                if (client.conn() != null) {
                    client.conn().close();
                }
            }
            wsClient.close();
        }
    }
}
