package io.swarmcast.bench;

import org.HdrHistogram.Histogram;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * C subscribed clients, one producer; per (clients, rate): ingest events/s, delivered frames/s, server CPU
 * per delivered frame, end-to-end latency percentiles, dropped frames, and which side ran out of CPU.
 */
final class FanoutScenario {

    private static final Pattern EMITTED = Pattern.compile("\"emitted\"\\s*:\\s*([0-9]+)");

    private final Options options;
    private boolean threadCpu;
    private double startRate;
    private int maxSteps;
    private long maxP99Micros;
    private int nonReaders;

    FanoutScenario(Options options) {
        this.options = options;
    }

    void run() throws Exception {
        URI url = options.url();
        URI ws = options.wsUrl();
        List<Integer> clientCounts = options.integers("clients", "100");
        List<Integer> nonReaderCounts = options.integers("non-readers", "0");
        String rates = options.string("rate", "1000");
        int batch = options.integer("batch", 1);
        String source = options.string("source", "http");
        Producer.Mode mode = switch (options.string("ingest", "api")) {
            case "api" -> Producer.Mode.API;
            case "event" -> Producer.Mode.EVENT;
            default -> throw new IllegalArgumentException("--ingest must be api or event");
        };
        int producers = options.integer("producers", 4);
        Duration duration = options.duration("duration", Duration.ofSeconds(10));
        Duration warmup = options.duration("warmup", Duration.ofSeconds(3));
        Duration drain = options.duration("drain", Duration.ofSeconds(5));
        String channels = options.string("channels", "messages");
        boolean subscribe = options.flag("subscribe", true);
        String wsKind = options.string("ws-client", "nio");
        int wsThreads = options.integer("ws-threads", 2);
        int concurrency = options.integer("connect-concurrency", 200);
        String label = options.string("label", "run");
        boolean header = options.flag("header", true);
        threadCpu = options.flag("thread-cpu", false);
        startRate = Double.parseDouble(options.string("start-rate", "500"));
        maxSteps = options.integer("max-steps", 6);
        maxP99Micros = options.duration("max-p99", Duration.ofSeconds(1)).toNanos() / 1000;
        long pid = options.serverPid();
        options.checkAllUsed();
        if (!"http".equals(source) && !"in-process".equals(source)) {
            throw new IllegalArgumentException("--source must be http or in-process");
        }

        Table table = new Table("run", "source", "clients", "non-readers", "offered ev/s", "ingest ev/s", "frames/s",
                "server CPU µs/frame", "cores server / bench / other", "p50 ms", "p99 ms", "p99.9 ms", "max ms",
                "not delivered", "closed", "saturated");
        if (header) {
            table.printHeader();
        }
        ServerProbe probe = new ServerProbe(url);
        String subscribeRequest = subscribe ? BenchClient.subscribe(channels) : null;
        for (int nonReaderCount : nonReaderCounts) {
            for (int clients : clientCounts) {
                nonReaders = nonReaderCount;
                if ("search".equals(rates.trim())) {
                    search(table, probe, url, ws, wsKind, wsThreads, clients, batch, source, mode, producers, duration,
                            warmup, drain, subscribeRequest, concurrency, label, pid);
                    continue;
                }
                for (String rateText : rates.split(",")) {
                    double rate = "max".equals(rateText.trim()) ? 0 : Double.parseDouble(rateText.trim());
                    try (Ws.Client wsClient = Ws.create(wsKind, wsThreads)) {
                        runOne(table, probe, url, ws, wsClient, clients, rate, batch, source, mode, producers, duration,
                                warmup, drain, subscribeRequest, concurrency, label, pid);
                    }
                }
            }
        }
    }

    /**
     * The maximum sustainable rate: doubles the offered rate from {@code --start-rate} while a run keeps up
     * (every frame delivered, no client closed, ingest at least 95% of the offer, p99 under {@code --max-p99}),
     * then halves the interval between the last good and the first bad rate until they are within 15%.
     */
    private void search(Table table, ServerProbe probe, URI url, URI ws, String wsKind, int wsThreads, int clients,
                        int batch, String source, Producer.Mode mode, int producers, Duration duration,
                        Duration warmup, Duration drain, String subscribeRequest, int concurrency, String label,
                        long pid) throws Exception {
        double rate = startRate;
        double good = 0;
        double bad = 0;
        Outcome best = null;
        for (int step = 0; step < maxSteps; step++) {
            Outcome outcome;
            try (Ws.Client wsClient = Ws.create(wsKind, wsThreads)) {
                outcome = runOne(table, probe, url, ws, wsClient, clients, rate, batch, source, mode, producers,
                        duration, warmup, drain, subscribeRequest, concurrency, label + " (search)", pid);
            }
            boolean kept = outcome.notDelivered == 0 && outcome.closed == 0 && outcome.eventsPerSecond >= 0.95 * rate
                    && outcome.p99Micros <= maxP99Micros;
            if (kept) {
                good = rate;
                best = outcome;
            } else {
                bad = rate;
            }
            if (bad > 0 && (bad - good) / bad < 0.15) {
                break;
            }
            rate = bad == 0 ? rate * 2 : good == 0 ? rate / 2 : (good + bad) / 2;
            rate = Math.max(1, Math.round(rate / 10.0) * 10);
        }
        System.out.println();
        if (best == null) {
            System.out.printf("**%s: no rate tried was sustained (lowest tried: %s events/s).**%n", label, Table.num(rate));
        } else {
            System.out.printf("**%s: maximum sustained with %d clients: %s events/s = %s frames/s (p99 %s ms, "
                            + "server CPU %s µs/frame); %s events/s was not sustained.**%n", label, clients,
                    Table.num(good), Table.num(best.framesPerSecond), Table.ms(best.p99Micros), Table.num(best.cpuPerFrame),
                    bad > 0 ? Table.num(bad) : "no higher rate tried");
        }
        System.out.flush();
    }

    /** What one run measured. */
    private record Outcome(double eventsPerSecond, double framesPerSecond, long notDelivered, long closed,
                           long p99Micros, double cpuPerFrame) {
    }

    private Outcome runOne(Table table, ServerProbe probe, URI url, URI ws, Ws.Client wsClient, int clientCount, double rate,
                        int batch, String source, Producer.Mode mode, int producers, Duration duration, Duration warmup,
                        Duration drain, String subscribeRequest, int concurrency, String label, long pid) throws Exception {
        BenchClient.Shared shared = new BenchClient.Shared();
        List<BenchClient> clients = new ArrayList<>();
        for (int i = 0; i < clientCount; i++) {
            clients.add(new BenchClient(shared, subscribeRequest, false));
        }
        String sourceText = "in-process".equals(source) ? "in-process"
                : (mode == Producer.Mode.API ? "POST /api/events" + (batch > 1 ? " x" + batch : "") : "POST /event");
        Outcome outcome;
        log("fanout: %d clients (%s), %s at %s ev/s", clientCount, wsClient.describe(), sourceText, rate > 0 ? Table.num(rate) : "max");
        long connectStart = System.nanoTime();
        Connector.connectAll(wsClient, ws, clients, concurrency, 120_000, 0);
        log("  %d clients subscribed in %.1f s", clientCount, (System.nanoTime() - connectStart) / 1e9);
        NonReaders stuck = null;
        try {
            if (nonReaders > 0) {
                // Connected after the readers, so that the readers' warm-up below also runs with them in place.
                stuck = NonReaders.open(ws, nonReaders, subscribeRequest);
                log("  %d non-readers subscribed and stopped reading", stuck.size());
            }
            // Warm-up: the same load, not measured; then let it drain.
            if (!warmup.isZero()) {
                produce(probe, url, source, mode, batch, rate, producers, warmup);
                awaitQuiet(shared, Long.MAX_VALUE, drain);
            }
            shared.latency.reset();
            long framesBefore = shared.frames.sum();
            long closedInWarmup = shared.closed.sum();
            if (closedInWarmup > 0) {
                log("  %d of %d clients were closed during the warm-up (%s): this row measures the rest",
                        closedInWarmup, clientCount, shared.lastClose);
            }
            java.util.Map<String, Double> threadsBefore = threadCpu ? ThreadCpu.snapshot(pid) : null;
            ProcStats.Sample start = new ProcStats.Sample(pid);
            long startNanos = System.nanoTime();

            Produced produced = produce(probe, url, source, mode, batch, rate, producers, duration);

            long expected = produced.events * clientCount;
            awaitQuiet(shared, framesBefore + expected, drain);
            ProcStats.Sample end = new ProcStats.Sample(pid);
            ProcStats.Usage usage = start.until(end);
            java.util.Map<String, Double> threadsAfter = threadCpu ? ThreadCpu.snapshot(pid) : null;
            long frames = shared.frames.sum() - framesBefore;
            Histogram latency = shared.latency.getIntervalHistogram();
            double deliverySeconds = Math.max(produced.seconds, (shared.lastFrameNanos - startNanos) / 1e9);
            double framesPerSecond = frames / deliverySeconds;
            double cpuPerFrame = usage.serverCpuMicros() < 0 || frames == 0 ? Double.NaN
                    : (double) usage.serverCpuMicros() / frames;
            boolean rateMet = rate > 0 && produced.events >= 0.95 * rate * produced.seconds && frames >= expected;
            table.row(label, sourceText, clientCount, nonReaders, rate > 0 ? Table.num(rate) : "max",
                    Table.num(produced.events / produced.seconds), Table.num(framesPerSecond),
                    Table.num(cpuPerFrame), usage.coresText(),
                    Table.ms(latency.getValueAtPercentile(50)), Table.ms(latency.getValueAtPercentile(99)),
                    Table.ms(latency.getValueAtPercentile(99.9)), Table.ms(latency.getMaxValue()),
                    expected - frames, shared.closed.sum(), usage.verdict(rateMet));
            outcome = new Outcome(produced.events / produced.seconds, framesPerSecond, expected - frames,
                    shared.closed.sum(), latency.getValueAtPercentile(99), cpuPerFrame);
            if (threadCpu) {
                ThreadCpu.print(threadsBefore, threadsAfter, usage.wallSeconds(), 12);
            }
            if (produced.errors > 0) {
                log("  producer errors: %d (first: %s)", produced.errors, produced.firstError);
            }
            if (shared.lastClose != null) {
                log("  a client was closed: %s", shared.lastClose);
            }
            if (produced.maxLagMillis > 50) {
                log("  the producer fell behind its schedule by up to %.0f ms (send times are actual, not scheduled)",
                        produced.maxLagMillis);
            }
        } finally {
            if (stuck != null) {
                stuck.close();
            }
            for (BenchClient client : clients) {
                if (client.conn() != null) {
                    client.conn().close();
                }
            }
        }
        return outcome;
    }

    private record Produced(long events, double seconds, long errors, String firstError, double maxLagMillis) {
    }

    private Produced produce(ServerProbe probe, URI url, String source, Producer.Mode mode, int batch, double rate,
                             int producers, Duration duration) throws Exception {
        double seconds = duration.toMillis() / 1000.0;
        if ("in-process".equals(source)) {
            long start = System.nanoTime();
            HttpResponse<String> response = probe.post("/bench/emit?rate=" + (long) rate + "&seconds=" + seconds,
                    duration.plusSeconds(60));
            double elapsed = (System.nanoTime() - start) / 1e9;
            if (response.statusCode() == 404) {
                throw new IllegalStateException("POST /bench/emit answered 404: start the server with "
                        + "--swarmcast.bench.enabled=true for --source in-process");
            }
            Matcher m = EMITTED.matcher(response.body());
            if (response.statusCode() != 200 || !m.find()) {
                throw new IllegalStateException("POST /bench/emit answered " + response.statusCode() + ": " + response.body());
            }
            return new Produced(Long.parseLong(m.group(1)), Math.min(elapsed, seconds), 0, null, 0);
        }
        Producer producer = new Producer(url, mode, batch, rate, producers, null);
        Producer.Result result = producer.run(seconds);
        return new Produced(result.events(), result.seconds(), result.errors(), result.firstError(), result.maxLagMillis());
    }

    /** Waits until {@code expected} frames arrived, or none arrived for a second, or {@code limit} passed. */
    static void awaitQuiet(BenchClient.Shared shared, long expected, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        long last = shared.frames.sum();
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long now = shared.frames.sum();
            if (now >= expected) {
                return;
            }
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > 1_000_000_000L) {
                return;
            }
            Thread.sleep(20);
        }
    }

    static void log(String format, Object... args) {
        System.err.println(String.format(format, args));
    }
}
