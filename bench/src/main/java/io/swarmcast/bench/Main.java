package io.swarmcast.bench;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The Swarmcast load generator: {@code java -jar swarmcast-bench.jar <scenario> [options]}. Prints Markdown
 * tables on standard output and progress on standard error. Only ever talks to the URL it is given.
 */
public final class Main {

    private static final String USAGE = """
            usage: java -jar swarmcast-bench.jar <scenario> [options]

            scenarios
              fanout       C subscribed clients, a producer at a fixed or the maximum rate
              connections  up to N idle subscribed connections: time to connect, heap and RSS per connection
              resume       clients drop and resume with sinceSeq + epoch while events flow; checks nothing is lost
              storm        many clients reconnect with sinceSeq at once while events flow to live clients: the live
                           clients' latency quiet vs during the storm
              cluster      two instances on one Redis log: the producer posts to A, C clients on A and C on B;
                           latency on each, frames/s, CPU per frame of each instance and Redis CPU per event
              timeline     fills the log with --events (1,000,000) events, then times GET /api/state?atSeq=N at random
                           points and ?at=T at random times: p50, p99, max, and the server's RSS
              jfr-top F    hottest methods of a JFR recording (jdk.ExecutionSample), as Markdown
              free-port    prints a free local TCP port
              await-ready  waits until --url answers /actuator/health (--timeout 60s); with --expect-socket
                           direct|standard, also fails unless the server's health names that socket path (the
                           health details need the viewer token when the server has authentication on)

            common options
              --url http://localhost:3001   the server; the WebSocket URL is derived (ws://host:port/), or --ws URL
              --server-pid P                read the server's CPU (/proc/P/stat) and RSS (/proc/P/status)
              --ws-client nio|jdk           WebSocket client (default nio: this tool's own; jdk: java.net.http)
              --ws-threads N                selector threads (nio) or HttpClients (jdk), default 2
              --label TEXT                  first column of every row (e.g. before / after-xyz)
              --header false                rows only, to append to an existing table
              --token T                     viewer token, sent as Authorization: Bearer on every WebSocket handshake
                                            and read (default: $SWARMCAST_VIEWER_TOKEN; none: no header)
              --producer-token T            producer token, sent on every POST (/api/events, /event, /bench/emit)
                                            (default: $SWARMCAST_PRODUCER_TOKEN); either one stands in for the other

            fanout
              --clients 1,10,100,1000       one row per count (and per rate)
              --rate 1000|max|500,2000      offered events/s (open loop) or as fast as the producers go
              --rate search                 the maximum sustainable rate: doubles from --start-rate 500 while every
                                            frame arrives, no client is closed and p99 <= --max-p99 1s, then bisects
                                            (at most --max-steps 6 runs)
              --source http|in-process      in-process: the server's own source (POST /bench/emit, needs
                                            --swarmcast.bench.enabled=true on the server)
              --ingest api|event            POST /api/events (default) or POST /event (Claude Flow CLI, one per request)
              --batch N                     events per POST /api/events request (array), default 1
              --producers N                 producer threads / HTTP connections, default 4
              --duration 10s --warmup 3s --drain 5s
              --channels messages           what the clients subscribe to; --subscribe false for servers without subscribe
              --thread-cpu true             also print the server's CPU by thread group (jcmd P Thread.print)
              --non-readers 0,500,2000      also connect N clients that subscribe and never read (raw sockets, 4 KiB
                                            receive buffer), one row per count: the readers' latency beside them

            connections
              --clients 10000 --steps 1000,2500,5000,10000 --connect-concurrency 100 --gc true (jcmd P GC.run before
              reading the heap) --channels messages --settle 2s

            resume
              --clients 100 --rate 5000 --batch 1 --producers 4 --rounds 3 --down 1s --gap 2s --warmup 2s
              --catch-up-timeout 30s --since false (reconnect without sinceSeq: checks that the check sees the loss)

            storm
              --live 50 --clients 500 (reconnecting at once) --rate 1000 --batch 1 --producers 4 --channels messages
              --warmup 3s --quiet 5s (the quiet phase measured) --down 2s --min-storm 1s (the storm phase lasts until
              every client caught up, at least this) --catch-up-timeout 30s --rehearsals 0 (storms run first and not
              measured, each followed by --quiet: the JITs of the server and of this tool compile the storm's code there)

            timeline
              --events 1000000 --batch 1000 --queries 2000 --time-queries 500 (the server's history-size must hold
              --events; run.sh's timeline scenario starts one so)

            cluster
              --url http://A --url-b http://B --clients 100 (per instance) --rate 500,2000|max --batch 1 --producers 4
              --duration 10s --warmup 3s --drain 5s --server-pid A --server-b-pid B --redis-pid R (CPU from /proc)
            """;

    private Main() {
    }

    /** The options after the scenario name, with the tokens taken out of them for every request of the run. */
    private static Options options(String[] args) {
        Options options = new Options(args, 1);
        Auth.configure(options);
        return options;
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
            System.out.print(USAGE);
            return;
        }
        try {
            switch (args[0]) {
                case "fanout" -> new FanoutScenario(options(args)).run();
                case "connections" -> new ConnectionsScenario(options(args)).run();
                case "resume" -> new ResumeScenario(options(args)).run();
                case "storm" -> new StormScenario(options(args)).run();
                case "cluster" -> new ClusterScenario(options(args)).run();
                case "timeline" -> new TimelineScenario(options(args)).run();
                case "jfr-top" -> {
                    if (args.length < 2) {
                        throw new IllegalArgumentException("jfr-top needs a .jfr file");
                    }
                    Options options = new Options(args, 2);
                    int top = options.integer("top", 25);
                    options.checkAllUsed();
                    JfrTop.run(Path.of(args[1]), top);
                }
                case "free-port" -> {
                    try (ServerSocket socket = new ServerSocket()) {
                        socket.bind(new InetSocketAddress("127.0.0.1", 0));
                        System.out.println(socket.getLocalPort());
                    }
                }
                case "await-ready" -> {
                    Options options = options(args);
                    URI url = options.url();
                    Duration timeout = options.duration("timeout", Duration.ofSeconds(60));
                    String expectSocket = options.string("expect-socket", "");
                    options.checkAllUsed();
                    ServerProbe probe = new ServerProbe(url);
                    if (!probe.awaitReady(timeout)) {
                        System.err.println("server at " + url + " not ready within " + timeout.toSeconds() + " s");
                        System.exit(1);
                    }
                    if (!expectSocket.isEmpty()) {
                        String socket = probe.socketPath();
                        if (!expectSocket.equals(socket)) {
                            System.err.println("server at " + url + " writes frames through the '" + socket
                                    + "' socket path, not '" + expectSocket + "'"
                                    + ("unknown".equals(socket) && Auth.viewer().isEmpty()
                                    ? " (with authentication on, the health details need --token or SWARMCAST_VIEWER_TOKEN)"
                                    : ""));
                            System.exit(1);
                        }
                        System.err.println("server at " + url + " writes frames through the " + socket + " socket path");
                    }
                }
                default -> throw new IllegalArgumentException("unknown scenario '" + args[0] + "'");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println("run without arguments for usage");
            System.exit(2);
        } catch (Connector.ConnectFailure e) {
            System.err.println("error: " + e.getMessage());
            System.exit(3);
        }
        System.exit(0);
    }
}
