package io.swarmcast.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Time travel: fills a server's log with {@code --events} events (a mix of agents, tasks, messages and memory writes
 * over {@code POST /api/events}, batches of {@code --batch}), then asks {@code GET /api/state?atSeq=N} for
 * {@code --queries} random points of the retained history, one at a time, and {@code ?at=T} for {@code --time-queries}
 * random times, and prints the latency percentiles (and the server's RSS). The server needs
 * {@code --swarmcast.history-size} of at least {@code --events} to hold it all; run.sh's {@code timeline} scenario
 * starts one so.
 */
final class TimelineScenario {

    private static final Pattern SEQ = Pattern.compile("\"seq\"\\s*:\\s*(\\d+)");
    private static final Pattern OLDEST = Pattern.compile("\"oldestSeq\"\\s*:\\s*(\\d+)");
    private static final Pattern SEQS = Pattern.compile("\"seqs\"\\s*:\\s*\\[([^\\]]*)\\]");
    private static final Pattern AT_TIME = Pattern.compile("\"atTime\"\\s*:\\s*(\\d+)");

    private final URI url;
    private final long events;
    private final int batch;
    private final int queries;
    private final int timeQueries;
    private final int playbacks;
    private final int playbackEvents;
    private final long serverPid;
    private final String label;
    private final boolean header;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final SplittableRandom random = new SplittableRandom(42);

    TimelineScenario(Options options) {
        this.url = options.url();
        this.events = options.longValue("events", 1_000_000);
        this.batch = options.integer("batch", 1000);
        this.queries = options.integer("queries", 2000);
        this.timeQueries = options.integer("time-queries", 500);
        this.playbacks = options.integer("playbacks", 5);
        this.playbackEvents = options.integer("playback-events", 100_000);
        this.serverPid = options.longValue("server-pid", 0);
        this.label = options.string("label", "run");
        this.header = options.flag("header", true);
        options.checkAllUsed();
    }

    void run() throws IOException, InterruptedException {
        long start = System.nanoTime();
        long newest = fill();
        System.err.printf("filled %d events in %.1f s%n", newest, (System.nanoTime() - start) / 1e9);
        HttpResponse<String> first = get("/api/state?atSeq=1");
        long oldest = first.statusCode() == 410 ? number(OLDEST, first.body()) : 1;
        long oldestTime = number(AT_TIME, get("/api/state?atSeq=" + oldest).body());
        long newestTime = number(AT_TIME, get("/api/state?atSeq=" + newest).body());

        Histogram bySeq = measure(queries, () -> "/api/state?atSeq=" + random.nextLong(oldest, newest + 1));
        Histogram byTime = measure(timeQueries, () -> "/api/state?at=" + random.nextLong(oldestTime, newestTime + 1));
        List<Playback> played = new ArrayList<>();
        for (int i = 0; i < playbacks; i++) {
            long from = random.nextLong(oldest, Math.max(oldest + 1, newest - playbackEvents));
            played.add(playBack(from, Math.min(newest, from + playbackEvents)));
        }
        String rss = serverPid > 0 ? Long.toString(ProcStats.rssKib(serverPid) / 1024) : "n/a";

        Table table = new Table("label", "history (events)", "points from", "query", "n", "p50 ms", "p99 ms",
                "max ms", "server RSS MiB");
        if (header) {
            table.printHeader();
        }
        table.row(label, newest - oldest + 1, oldest, "atSeq", queries, Table.ms(bySeq.getValueAtPercentile(50)),
                Table.ms(bySeq.getValueAtPercentile(99)), Table.ms(bySeq.getMaxValue()), rss);
        table.row(label, newest - oldest + 1, oldest, "at (time)", timeQueries, Table.ms(byTime.getValueAtPercentile(50)),
                Table.ms(byTime.getValueAtPercentile(99)), Table.ms(byTime.getMaxValue()), rss);
        if (!played.isEmpty()) {
            Table playTable = new Table("label", "playback", "events each", "n", "start p50 ms", "start max ms",
                    "events/s p50", "events/s min", "events all there");
            System.out.println();
            playTable.printHeader();
            Histogram startMicros = new Histogram(3_600_000_000L, 3);
            List<Double> rates = new ArrayList<>();
            boolean whole = true;
            for (Playback playback : played) {
                startMicros.recordValue(Math.max(1, playback.startMicros()));
                rates.add(playback.eventsPerSecond());
                whole &= playback.events() == playback.expected();
            }
            rates.sort(null);
            playTable.row(label, "speed 0 (as fast as the client reads)", playbackEvents, played.size(),
                    Table.ms(startMicros.getValueAtPercentile(50)), Table.ms(startMicros.getMaxValue()),
                    Table.num(rates.get(rates.size() / 2)), Table.num(rates.get(0)), whole ? "yes" : "NO");
        }
    }

    /** One playback's figures: time to its first event frame (the snapshot at the point comes before), and its rate. */
    private record Playback(long startMicros, long events, long expected, double eventsPerSecond) {
    }

    /**
     * Plays {@code from..to} back at speed 0 on a connection of its own and counts the {@code "playback":true} event
     * frames until {@code ended}.
     */
    private Playback playBack(long from, long to) throws InterruptedException {
        CountDownLatch ended = new CountDownLatch(1);
        long[] firstEventNanos = {0};
        long[] events = {0};
        StringBuilder partial = new StringBuilder();
        WebSocket.Listener listener = new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    String frame = partial.toString();
                    partial.setLength(0);
                    if (frame.contains("\"playback\":true") && !frame.contains("\"snapshot\":true")) {
                        if (events[0]++ == 0) {
                            firstEventNanos[0] = System.nanoTime();
                        }
                    } else if (frame.contains("\"status\":\"ended\"") || frame.contains("\"status\":\"stopped\"")) {
                        ended.countDown();
                    }
                }
                socket.request(1);
                return null;
            }
        };
        WebSocket.Builder builder = http.newWebSocketBuilder();
        if (!Auth.viewer().isEmpty()) {
            builder.subprotocols("bearer." + Auth.viewer());
        }
        WebSocket socket = builder.buildAsync(URI.create(url.toString().replaceFirst("^http", "ws") + "/ws"), listener)
                .join();
        long began = System.nanoTime();
        socket.sendText("{\"type\":\"playback\",\"fromSeq\":" + from + ",\"toSeq\":" + to + ",\"speed\":0}", true);
        if (!ended.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("playback from " + from + " to " + to + " did not end within 120 s");
        }
        long done = System.nanoTime();
        socket.abort();
        long startMicros = (firstEventNanos[0] - began) / 1000;
        double seconds = Math.max(1e-9, (done - began) / 1e9);
        return new Playback(startMicros, events[0], to - from, events[0] / seconds);
    }

    /** Posts events until the log holds {@code events}; returns the newest seq. */
    private long fill() throws IOException, InterruptedException {
        long newest = number(SEQ, get("/api/state").body());
        int n = 0;
        while (newest < events) {
            StringBuilder body = new StringBuilder(batch * 120).append('[');
            int size = (int) Math.min(batch, events - newest);
            for (int i = 0; i < size; i++, n++) {
                if (i > 0) {
                    body.append(',');
                }
                body.append(event(n));
            }
            body.append(']');
            HttpResponse<String> answer = http.send(bearer(HttpRequest.newBuilder(url.resolve("/api/events")), Auth.producer())
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 503) {
                Thread.sleep(50);
                continue;
            }
            if (answer.statusCode() != 202) {
                throw new IllegalStateException("POST /api/events answered " + answer.statusCode() + ": " + answer.body());
            }
            Matcher seqs = SEQS.matcher(answer.body());
            if (seqs.find()) {
                String list = seqs.group(1);
                newest = Math.max(newest, Long.parseLong(list.substring(list.lastIndexOf(',') + 1).trim()));
            }
            if ((n / batch) % 100 == 0) {
                System.err.printf("  %d events%n", newest);
            }
        }
        return newest;
    }

    /** One event of a swarm of 50 agents and 2,000 tasks in turn, with messages and 200 memory keys. */
    private static String event(int n) {
        return switch (n % 5) {
            case 0 -> "{\"type\":\"agent:status\",\"agentId\":\"agent-" + (n % 50) + "\",\"status\":\""
                    + (n % 3 == 0 ? "busy" : "idle") + "\"}";
            case 1 -> "{\"type\":\"task:update\",\"taskId\":\"task-" + (n % 2000) + "\",\"status\":\""
                    + (n % 4 == 1 ? "running" : "completed") + "\",\"description\":\"step " + n + "\"}";
            case 2 -> "{\"type\":\"message:sent\",\"source\":\"agent-" + (n % 50) + "\",\"target\":\"agent-"
                    + ((n + 1) % 50) + "\",\"messageType\":\"task\",\"payload\":\"hello " + n + "\"}";
            case 3 -> "{\"type\":\"memory:operation\",\"operation\":\"store\",\"namespace\":\"bench\",\"key\":\"k-"
                    + (n % 200) + "\",\"value\":{\"n\":" + n + "}}";
            default -> "{\"type\":\"memory:operation\",\"operation\":\"retrieve\",\"namespace\":\"bench\",\"key\":\"k-"
                    + (n % 200) + "\"}";
        };
    }

    private interface PathSupplier {
        String next();
    }

    private Histogram measure(int count, PathSupplier paths) throws IOException, InterruptedException {
        Histogram micros = new Histogram(3_600_000_000L, 3);
        for (int i = 0; i < count; i++) {
            String path = paths.next();
            long began = System.nanoTime();
            HttpResponse<String> answer = get(path);
            micros.recordValue(Math.max(1, (System.nanoTime() - began) / 1000));
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + answer.statusCode() + ": " + answer.body());
            }
        }
        return micros;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(bearer(HttpRequest.newBuilder(url.resolve(path)), Auth.viewer()).timeout(Duration.ofSeconds(30))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder bearer(HttpRequest.Builder request, String token) {
        return token.isEmpty() ? request : request.header("Authorization", "Bearer " + token);
    }

    private static long number(Pattern pattern, String body) {
        Matcher matcher = pattern.matcher(body);
        if (!matcher.find()) {
            throw new IllegalStateException("no " + pattern + " in " + body);
        }
        return Long.parseLong(matcher.group(1));
    }
}
