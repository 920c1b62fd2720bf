package io.swarmcast.bench;

import org.HdrHistogram.Histogram;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Two instances on one Redis event log: the producer posts to instance A only, C clients subscribe on A and C on
 * B. Per offered rate: ingest events/s, frames/s delivered by both, end-to-end latency on each instance (B's
 * includes the trip through Redis to B's tail), CPU per frame of each instance, and Redis CPU per event.
 */
final class ClusterScenario {

    private final Options options;

    ClusterScenario(Options options) {
        this.options = options;
    }

    void run() throws Exception {
        URI urlA = options.url();
        URI wsA = options.wsUrl();
        URI urlB = urlB();
        URI wsB = URI.create("ws://" + urlB.getRawAuthority() + options.string("ws-path", "/"));
        int clientsPerInstance = options.integer("clients", 100);
        String rates = options.string("rate", "500,2000");
        int batch = options.integer("batch", 1);
        int producers = options.integer("producers", 4);
        Duration duration = options.duration("duration", Duration.ofSeconds(10));
        Duration warmup = options.duration("warmup", Duration.ofSeconds(3));
        Duration drain = options.duration("drain", Duration.ofSeconds(5));
        String channels = options.string("channels", "messages");
        String wsKind = options.string("ws-client", "nio");
        int wsThreads = options.integer("ws-threads", 2);
        int concurrency = options.integer("connect-concurrency", 200);
        String label = options.string("label", "run");
        boolean header = options.flag("header", true);
        long pidA = options.serverPid();
        long pidB = options.longValue("server-b-pid", 0);
        long redisPid = options.longValue("redis-pid", 0);
        options.checkAllUsed();

        Table table = new Table("run", "ingest", "clients A + B", "offered ev/s", "ingest ev/s", "frames/s",
                "p50 / p99 ms on A", "p50 / p99 ms on B", "max ms", "CPU µs/frame A / B", "Redis CPU µs/event",
                "cores A / B / Redis / bench", "not delivered", "closed");
        if (header) {
            table.printHeader();
        }
        String subscribeRequest = BenchClient.subscribe(channels);
        String ingest = "POST /api/events to A" + (batch > 1 ? " x" + batch : "");
        for (String rateText : rates.split(",")) {
            double rate = "max".equals(rateText.trim()) ? 0 : Double.parseDouble(rateText.trim());
            try (Ws.Client wsClient = Ws.create(wsKind, wsThreads)) {
                BenchClient.Shared onA = new BenchClient.Shared();
                BenchClient.Shared onB = new BenchClient.Shared();
                List<BenchClient> clientsA = clients(onA, clientsPerInstance, subscribeRequest);
                List<BenchClient> clientsB = clients(onB, clientsPerInstance, subscribeRequest);
                log("cluster: %d clients on A, %d on B (%s), %s at %s ev/s", clientsPerInstance, clientsPerInstance,
                        wsClient.describe(), ingest, rate > 0 ? Table.num(rate) : "max");
                try {
                    Connector.connectAll(wsClient, wsA, clientsA, concurrency, 120_000, 0);
                    Connector.connectAll(wsClient, wsB, clientsB, concurrency, 120_000, clientsPerInstance);
                    if (!warmup.isZero()) {
                        new Producer(urlA, Producer.Mode.API, batch, rate, producers, null).run(warmup.toMillis() / 1000.0);
                        FanoutScenario.awaitQuiet(onA, Long.MAX_VALUE, drain);
                        FanoutScenario.awaitQuiet(onB, Long.MAX_VALUE, drain);
                    }
                    onA.latency.reset();
                    onB.latency.reset();
                    long framesBeforeA = onA.frames.sum();
                    long framesBeforeB = onB.frames.sum();
                    long redisBefore = ProcStats.cpuMicros(redisPid);
                    ProcStats.Sample startA = new ProcStats.Sample(pidA);
                    long cpuBeforeB = ProcStats.cpuMicros(pidB);
                    long startNanos = System.nanoTime();

                    Producer.Result produced = new Producer(urlA, Producer.Mode.API, batch, rate, producers, null)
                            .run(duration.toMillis() / 1000.0);

                    long expectedPerInstance = produced.events() * clientsPerInstance;
                    FanoutScenario.awaitQuiet(onA, framesBeforeA + expectedPerInstance, drain);
                    FanoutScenario.awaitQuiet(onB, framesBeforeB + expectedPerInstance, drain);
                    ProcStats.Usage usage = startA.until(new ProcStats.Sample(pidA));
                    long cpuB = delta(cpuBeforeB, ProcStats.cpuMicros(pidB));
                    long cpuRedis = delta(redisBefore, ProcStats.cpuMicros(redisPid));

                    long framesA = onA.frames.sum() - framesBeforeA;
                    long framesB = onB.frames.sum() - framesBeforeB;
                    long frames = framesA + framesB;
                    long lastFrame = Math.max(onA.lastFrameNanos, onB.lastFrameNanos);
                    double seconds = Math.max(produced.seconds(), (lastFrame - startNanos) / 1e9);
                    Histogram latencyA = onA.latency.getIntervalHistogram();
                    Histogram latencyB = onB.latency.getIntervalHistogram();
                    double wall = usage.wallSeconds();
                    table.row(label, ingest, clientsPerInstance + " + " + clientsPerInstance,
                            rate > 0 ? Table.num(rate) : "max", Table.num(produced.events() / produced.seconds()),
                            Table.num(frames / seconds),
                            Table.ms(latencyA.getValueAtPercentile(50)) + " / " + Table.ms(latencyA.getValueAtPercentile(99)),
                            Table.ms(latencyB.getValueAtPercentile(50)) + " / " + Table.ms(latencyB.getValueAtPercentile(99)),
                            Table.ms(Math.max(latencyA.getMaxValue(), latencyB.getMaxValue())),
                            perUnit(usage.serverCpuMicros(), framesA) + " / " + perUnit(cpuB, framesB),
                            perUnit(cpuRedis, produced.events()),
                            String.format("%s / %s / %s / %.2f", cores(usage.serverCpuMicros(), wall), cores(cpuB, wall),
                                    cores(cpuRedis, wall), usage.benchCores()),
                            2 * expectedPerInstance - frames, onA.closed.sum() + onB.closed.sum());
                    if (produced.errors() > 0) {
                        log("  producer errors: %d (first: %s)", produced.errors(), produced.firstError());
                    }
                    for (BenchClient.Shared shared : List.of(onA, onB)) {
                        if (shared.lastClose != null) {
                            log("  a client was closed: %s", shared.lastClose);
                        }
                    }
                } finally {
                    closeAll(clientsA);
                    closeAll(clientsB);
                }
            }
        }
    }

    /** {@code --url-b}: instance B's HTTP base URL (required). */
    private URI urlB() {
        String text = options.string("url-b", null);
        if (text == null) {
            throw new IllegalArgumentException("cluster needs --url-b http://127.0.0.1:PORT (the second instance)");
        }
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        URI uri = URI.create(text);
        if (!"http".equals(uri.getScheme())) {
            throw new IllegalArgumentException("--url-b must be an http:// URL");
        }
        return uri;
    }

    private static List<BenchClient> clients(BenchClient.Shared shared, int count, String subscribeRequest) {
        List<BenchClient> clients = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            clients.add(new BenchClient(shared, subscribeRequest, false));
        }
        return clients;
    }

    private static void closeAll(List<BenchClient> clients) {
        for (BenchClient client : clients) {
            if (client.conn() != null) {
                client.conn().close();
            }
        }
    }

    /** CPU microseconds between two readings, or -1 when either is unknown (no pid given). */
    private static long delta(long before, long after) {
        return before < 0 || after < 0 ? -1 : after - before;
    }

    private static String perUnit(long cpuMicros, long units) {
        return cpuMicros < 0 || units == 0 ? "n/a" : Table.num((double) cpuMicros / units);
    }

    private static String cores(long cpuMicros, double wallSeconds) {
        return cpuMicros < 0 ? "n/a" : String.format("%.2f", cpuMicros / 1e6 / wallSeconds);
    }

    private static void log(String format, Object... args) {
        System.err.println(String.format(format, args));
    }
}
