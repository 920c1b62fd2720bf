package io.swarmcast.launch;

/** The text of {@code java -jar swarmcast.jar --help}. */
final class Usage {

    private Usage() {
    }

    static String text(String version) {
        return """
                Swarmcast %s: a live event server for AI-agent swarms.

                Usage: java [JVM options] -jar swarmcast.jar [options]

                Options (each takes its value after '=', e.g. --port=4001):
                  --port=N                               HTTP and WebSocket port (default 3001; env SWARMCAST_PORT)
                  --host=H                               address to bind (default localhost; 0.0.0.0 for every interface;
                                                         env SWARMCAST_HOST)
                  --demo                                 play a simulated swarm (swarmcast.demo.enabled)
                  --swarmcast.compat-port=N              Claude Flow CLI listener, POST /event only (default port + 1;
                                                         0 picks a free port)
                  --swarmcast.compat-enabled=false       no Claude Flow CLI listener (POST /event works on the main port)
                  --swarmcast.log.type=memory            the event log that keeps history and assigns seqs
                  --swarmcast.auth.viewer-tokens=T1,T2   tokens dashboards must present (none: anyone may watch)
                  --swarmcast.auth.producer-tokens=T1,T2 tokens producers must present (none: anyone may post)
                  --swarmcast.NAME=VALUE                 any other setting of application.yml, e.g.
                                                         --swarmcast.history-size=50000
                  --server.*, --spring.*, --management.*, --logging.*
                                                         Spring Boot settings, e.g. --logging.level.io.swarmcast=debug
                  --help                                 this text
                  --version                              the version

                Every setting can also come from application.yml in the working directory or from an environment
                variable (SWARMCAST_HISTORYSIZE=50000). The command line wins over both. Once started, the log
                names the dashboard, WebSocket, ingest and health URLs.
                """.formatted(version);
    }
}
