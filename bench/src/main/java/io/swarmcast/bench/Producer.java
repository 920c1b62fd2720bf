package io.swarmcast.bench;

import org.HdrHistogram.Recorder;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Posts {@code message:sent} events over HTTP at a fixed offered rate (open loop: request i is due at
 * start + i x interval, whatever happened to earlier ones) or as fast as its threads can ({@code --rate max}).
 * Each event carries its send time as payload {@code {"t":<epoch micros>}} and {@code timestamp} in ms.
 * A message between agents the server does not know is recorded and broadcast, but changes no agent: the
 * cheapest realistic event that goes through ingest, the message bus and the publisher like real traffic.
 */
final class Producer {

    enum Mode {
        /** {@code POST /api/events}: one event or an array of {@code batch}. */
        API,
        /** {@code POST /event}: the Claude Flow CLI's envelope, one event per request. */
        EVENT
    }

    /** What a run did. */
    record Result(long events, long requests, long errors, String firstError, double seconds, double maxLagMillis,
                  long maxSeq) {
        double eventsPerSecond() {
            return seconds > 0 ? events / seconds : 0;
        }
    }

    private final String host;
    private final int port;
    private final Mode mode;
    private final int batch;
    private final double rate;
    private final int threads;
    private final BitSet acceptedSeqs;
    private final AtomicLong ticket = new AtomicLong();
    private final AtomicLong ids = new AtomicLong();
    private final LongAdder events = new LongAdder();
    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicLong maxSeq = new AtomicLong();
    private final Recorder lag = new Recorder(2);
    private final String runId = Long.toString(System.nanoTime() % 1_000_000, 36);
    private volatile String firstError;
    private volatile boolean stopped;

    /**
     * @param rate         events per second; 0 for as fast as possible
     * @param acceptedSeqs when not null, every seq the server answered with is set in it (synchronized on it)
     */
    Producer(URI base, Mode mode, int batch, double rate, int threads, BitSet acceptedSeqs) {
        this.host = base.getHost();
        this.port = base.getPort() > 0 ? base.getPort() : 80;
        this.mode = mode;
        this.batch = Math.max(1, batch);
        this.rate = rate;
        this.threads = Math.max(1, threads);
        this.acceptedSeqs = acceptedSeqs;
        if (mode == Mode.EVENT && this.batch > 1) {
            throw new IllegalArgumentException("POST /event takes one event per request: --batch must be 1 with --ingest event");
        }
    }

    /** Ends a run early (the resume scenario stops the flow when its rounds are done). */
    void stop() {
        stopped = true;
    }

    /** Runs for {@code seconds} and returns when every thread is done. */
    Result run(double seconds) throws InterruptedException {
        long before = events.sum();
        long requestsBefore = requests.sum();
        long errorsBefore = errors.sum();
        lag.reset();
        ticket.set(0);
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        double interval = rate > 0 ? 1e9 * batch / rate : 0;
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread worker = new Thread(() -> work(start, end, interval), "bench-producer-" + i);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new Result(events.sum() - before, requests.sum() - requestsBefore, errors.sum() - errorsBefore,
                firstError, elapsed, lag.getIntervalHistogram().getMaxValue() / 1000.0, maxSeq.get());
    }

    private void work(long start, long end, double interval) {
        try (HttpConnection http = new HttpConnection(host, port)) {
            String path = mode == Mode.API ? "/api/events" : "/event";
            while (!stopped) {
                long now = System.nanoTime();
                if (interval > 0) {
                    long due = start + (long) (ticket.getAndIncrement() * interval);
                    // Open loop, but bounded: what is still due when the time is up is not sent.
                    if (due >= end || now >= end) {
                        return;
                    }
                    while ((now = System.nanoTime()) < due) {
                        LockSupport.parkNanos(due - now);
                    }
                    lag.recordValue((now - due) / 1000);
                } else if (now >= end) {
                    return;
                }
                send(http, path);
            }
        }
    }

    private void send(HttpConnection http, String path) {
        byte[] body = body();
        try {
            HttpConnection.Response response = http.post(path, body);
            requests.increment();
            if (response.status() / 100 == 2) {
                events.add(batch);
                recordSeqs(response.body());
            } else {
                error("HTTP " + response.status() + ": " + response.body());
            }
        } catch (IOException e) {
            error(e.toString());
            LockSupport.parkNanos(10_000_000);
        }
    }

    private void error(String text) {
        errors.increment();
        if (firstError == null) {
            firstError = text;
        }
    }

    private byte[] body() {
        StringBuilder json = new StringBuilder(160 * batch);
        if (batch > 1) {
            json.append('[');
        }
        for (int i = 0; i < batch; i++) {
            if (i > 0) {
                json.append(',');
            }
            long micros = Micros.now();
            if (mode == Mode.EVENT) {
                json.append("{\"channel\":\"messages\",\"type\":\"message:sent\",\"timestamp\":").append(micros / 1000)
                        .append(",\"event\":");
            }
            json.append("{\"type\":\"message:sent\",\"messageId\":\"b").append(runId).append('-').append(ids.incrementAndGet())
                    .append("\",\"source\":\"bench-producer\",\"target\":\"bench-sink\",\"messageType\":\"broadcast\",\"size\":24")
                    .append(",\"timestamp\":").append(micros / 1000)
                    .append(",\"payload\":{\"t\":").append(micros).append("}}");
            if (mode == Mode.EVENT) {
                json.append('}');
            }
        }
        if (batch > 1) {
            json.append(']');
        }
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Reads {@code "seqs":[1,2,3]} out of a 202 answer. */
    private void recordSeqs(String body) {
        int i = body.indexOf("\"seqs\":[");
        if (i < 0) {
            return;
        }
        int p = i + 8;
        long value = 0;
        boolean digits = false;
        long max = 0;
        List<Long> seqs = acceptedSeqs != null ? new ArrayList<>(batch) : null;
        for (; p < body.length(); p++) {
            char c = body.charAt(p);
            if (c >= '0' && c <= '9') {
                value = value * 10 + (c - '0');
                digits = true;
            } else {
                if (digits) {
                    max = Math.max(max, value);
                    if (seqs != null) {
                        seqs.add(value);
                    }
                }
                value = 0;
                digits = false;
                if (c == ']') {
                    break;
                }
            }
        }
        maxSeq.accumulateAndGet(max, Math::max);
        if (seqs != null) {
            synchronized (acceptedSeqs) {
                for (long seq : seqs) {
                    acceptedSeqs.set((int) seq);
                }
            }
        }
    }
}
