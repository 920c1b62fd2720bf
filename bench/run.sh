#!/bin/sh
# Swarmcast benchmark, one command: builds the server and the load generator, starts the server on a free
# localhost port, runs every scenario against it, stops it by its PID, and prints Markdown tables.
#
#   bench/run.sh                      the default run (under 10 minutes)
#   LABEL=after-xyz bench/run.sh      the label in the first column of every row
#   QUICK=1 bench/run.sh              a short smoke run (fewer clients, shorter phases)
#   SCENARIOS="fanout resume" bench/run.sh
#   SCENARIOS=redis bench/run.sh      two instances on one Redis log (redis-server from REDIS_SERVER or PATH);
#                                     not in the default list
#   SCENARIOS=timeline bench/run.sh   time travel: a fresh server, TIMELINE_EVENTS (1,000,000; 100,000 with QUICK=1)
#                                     events in its log, then GET /api/state?atSeq / ?at at random points (p50, p99,
#                                     max); not in the default list
#   SOCKET=standard bench/run.sh      the server writes frames through the standard WebSocket API
#                                     (swarmcast.delivery.socket; default direct), rows labelled "standard"
#   AUTH=1 bench/run.sh               authentication on: every server gets a generated viewer and producer token
#                                     (SWARMCAST_VIEWER_TOKEN / SWARMCAST_PRODUCER_TOKEN in its environment), the
#                                     load generator reads the same variables and sends the viewer token on every
#                                     WebSocket handshake and read, the producer token on every POST
#                                     (Authorization: Bearer); "-auth" is appended to the label ("run-auth")
#   TOKEN=... PRODUCER_TOKEN=... bench/run.sh   the same with these tokens (either one implies AUTH=1, the other
#                                     is generated; 16-512 of A-Z a-z 0-9 . _ ~ -)
#
# Settings (environment): LABEL, QUICK, SCENARIOS (fanout inprocess profile resume storm nonreaders connections
# redis timeline), SOCKET, AUTH (0), TOKEN, PRODUCER_TOKEN,
# SERVER_XMX (1g), CONN_XMX (1g, the connections scenario's server), CONNECTIONS (10000), DURATION (10s),
# STORM_CLIENTS (500, the storm scenario; QUICK_STORM_CLIENTS 50 with QUICK=1),
# REDIS_SERVER (redis-server), REDIS_ARGS (--appendonly yes: AOF as in the Compose scale profile),
# CLUSTER_CLIENTS (100 per instance, the redis scenario; QUICK_CLUSTER_CLIENTS 20 with QUICK=1),
# SKIP_BUILD (0), MVN_FLAGS (-q -B), OUT (bench/target/results).
# Only 127.0.0.1 is ever targeted.
set -eu

cd "$(dirname "$0")/.."
SOCKET=${SOCKET:-direct}
case $SOCKET in
direct) LABEL=${LABEL:-run} ;;
standard) LABEL=${LABEL:-standard} ;;
*)
    printf 'SOCKET must be direct or standard, not %s\n' "$SOCKET" >&2
    exit 2
    ;;
esac
# Authentication: tokens reach the servers and the load generator through the environment only (one export
# serves both; nothing on a command line, where ps would show it).
AUTH=${AUTH:-0}
TOKEN=${TOKEN:-}
PRODUCER_TOKEN=${PRODUCER_TOKEN:-}
if [ -n "$TOKEN" ] || [ -n "$PRODUCER_TOKEN" ]; then
    AUTH=1
fi
case $AUTH in
0)
    # Tokens left in the caller's environment would switch authentication on without the label saying so.
    unset SWARMCAST_VIEWER_TOKEN SWARMCAST_PRODUCER_TOKEN SWARMCAST_AUTH_VIEWERTOKENS SWARMCAST_AUTH_PRODUCERTOKENS
    ;;
1)
    random_token() {
        od -An -tx1 -N32 /dev/urandom | tr -d ' \n'
    }
    SWARMCAST_VIEWER_TOKEN=${TOKEN:-$(random_token)}
    SWARMCAST_PRODUCER_TOKEN=${PRODUCER_TOKEN:-$(random_token)}
    export SWARMCAST_VIEWER_TOKEN SWARMCAST_PRODUCER_TOKEN
    # The relaxed-binding names win over these on the server; they must not hold other tokens.
    unset SWARMCAST_AUTH_VIEWERTOKENS SWARMCAST_AUTH_PRODUCERTOKENS
    case $LABEL in *auth*) ;; *) LABEL="$LABEL-auth" ;; esac
    ;;
*)
    printf 'AUTH must be 0 or 1, not %s\n' "$AUTH" >&2
    exit 2
    ;;
esac
QUICK=${QUICK:-0}
SCENARIOS=${SCENARIOS:-"fanout inprocess profile resume storm nonreaders connections"}
NON_READERS=${NON_READERS:-0,500,2000}
SERVER_XMX=${SERVER_XMX:-1g}
CONN_XMX=${CONN_XMX:-1g}
CONNECTIONS=${CONNECTIONS:-10000}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-3s}
SKIP_BUILD=${SKIP_BUILD:-0}
MVN_FLAGS=${MVN_FLAGS:--q -B}
OUT=${OUT:-bench/target/results}
SERVER_JAR=target/swarmcast.jar
BENCH_JAR=bench/target/swarmcast-bench.jar
RESULTS=$OUT/results-$LABEL.md
SERVER_PID=
PORT=
# The redis scenario: instance A is SERVER_PID/PORT, instance B and redis-server these.
SERVER_B_PID=
REDIS_PID=
REDIS_SERVER=${REDIS_SERVER:-redis-server}
REDIS_ARGS=${REDIS_ARGS:---appendonly yes}
CLUSTER_CLIENTS=${CLUSTER_CLIENTS:-100}
TIMELINE_EVENTS=${TIMELINE_EVENTS:-1000000}
TIMELINE_XMX=${TIMELINE_XMX:-2g}
SERVER_HISTORY=200000

STORM_CLIENTS=${STORM_CLIENTS:-500}
if [ "$QUICK" = 1 ]; then
    STORM_CLIENTS=${QUICK_STORM_CLIENTS:-50}
    CLUSTER_CLIENTS=${QUICK_CLUSTER_CLIENTS:-20}
    TIMELINE_EVENTS=${QUICK_TIMELINE_EVENTS:-100000}
    CLIENTS_LIST=1,10,100
    NON_READERS=${QUICK_NON_READERS:-0,200}
    CONNECTIONS=${QUICK_CONNECTIONS:-1000}
    DURATION=3s
    WARMUP=1s
    ROUNDS=1
    WARMUP_SERVER=5s
    SEARCH_DURATION=2s
    SEARCH_STEPS=3
else
    WARMUP_SERVER=${WARMUP_SERVER:-20s}
    SEARCH_DURATION=${SEARCH_DURATION:-4s}
    SEARCH_STEPS=${SEARCH_STEPS:-8}
    CLIENTS_LIST=1,10,100,1000
    ROUNDS=3
fi

log() {
    printf '%s\n' "$*" >&2
}

# Each load-generator call is bounded in time, so a stuck run cannot hold the machine.
bench() {
    if command -v timeout >/dev/null 2>&1; then
        timeout 240 java -Xmx1g -jar "$BENCH_JAR" "$@"
    else
        java -Xmx1g -jar "$BENCH_JAR" "$@"
    fi
}

stop_server() {
    if [ -n "$SERVER_PID" ]; then
        log "stopping the server (pid $SERVER_PID)"
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=
    fi
    if [ -n "$SERVER_B_PID" ]; then
        log "stopping instance B (pid $SERVER_B_PID)"
        kill "$SERVER_B_PID" 2>/dev/null || true
        wait "$SERVER_B_PID" 2>/dev/null || true
        SERVER_B_PID=
    fi
    # After the instances, so they do not spend their last seconds reconnecting.
    if [ -n "$REDIS_PID" ]; then
        log "stopping redis-server (pid $REDIS_PID)"
        kill "$REDIS_PID" 2>/dev/null || true
        wait "$REDIS_PID" 2>/dev/null || true
        REDIS_PID=
    fi
}
trap stop_server EXIT
trap 'stop_server; exit 130' INT TERM

# start_server NAME XMX [extra server arguments...]
start_server() {
    name=$1
    xmx=$2
    shift 2
    PORT=$(java -jar "$BENCH_JAR" free-port)
    log "starting the server ($name, -Xmx$xmx) on 127.0.0.1:$PORT"
    java "-Xmx$xmx" -jar "$SERVER_JAR" \
        --port="$PORT" --host=127.0.0.1 \
        --swarmcast.compat-port=0 \
        --swarmcast.bench.enabled=true \
        --swarmcast.max-connections=$((CONNECTIONS + 1000)) \
        --swarmcast.connections.max-per-address=$((CONNECTIONS + 1000)) \
        --swarmcast.connections.attempts-per-second-per-address=1000000 \
        --swarmcast.connections.attempt-burst-per-address=1000000 \
        --server.tomcat.max-connections=$((CONNECTIONS + 2000)) \
        --server.tomcat.max-keep-alive-requests=-1 \
        --swarmcast.history-size="$SERVER_HISTORY" \
        --swarmcast.delivery.socket="$SOCKET" \
        --logging.level.root=WARN \
        "$@" >"$OUT/server-$name.log" 2>&1 &
    SERVER_PID=$!
    # --expect-socket: the rows are only worth their label if the server took the path asked for.
    if ! java -jar "$BENCH_JAR" await-ready --url "http://127.0.0.1:$PORT" --timeout 180s --expect-socket "$SOCKET"; then
        log "the server did not come up; its log:"
        tail -50 "$OUT/server-$name.log" >&2
        exit 1
    fi
}

# start_redis: a fresh redis-server on a free localhost port, its data in $OUT/redis (emptied first).
start_redis() {
    if ! command -v "$REDIS_SERVER" >/dev/null 2>&1; then
        log "the redis scenario needs redis-server (apt-get install redis-server, or REDIS_SERVER=/path/to/redis-server)"
        exit 2
    fi
    REDIS_PORT=$(java -jar "$BENCH_JAR" free-port)
    rm -rf "$OUT/redis"
    mkdir -p "$OUT/redis"
    log "starting redis-server ($REDIS_ARGS) on 127.0.0.1:$REDIS_PORT"
    # shellcheck disable=SC2086
    "$REDIS_SERVER" --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$(pwd)/$OUT/redis" --save '' --daemonize no \
        $REDIS_ARGS >"$OUT/redis-server.log" 2>&1 &
    REDIS_PID=$!
}

if [ "$SKIP_BUILD" != 1 ]; then
    log "building the server and the load generator"
    # shellcheck disable=SC2086
    ./mvnw $MVN_FLAGS -DskipTests package
    # shellcheck disable=SC2086
    ./mvnw $MVN_FLAGS -f bench/pom.xml package
fi
mkdir -p "$OUT"

# 10,000 connections need as many file descriptors in each JVM.
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((CONNECTIONS + 1024)) ]; then
    ulimit -n $((CONNECTIONS + 4096)) 2>/dev/null ||
        log "warning: ulimit -n is $(ulimit -n) and cannot be raised; the connections scenario may stop early"
fi

{
    echo "# Swarmcast benchmark: $LABEL"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
    echo
    echo '```'
    echo "nproc: $(nproc)"
    free -h | head -2
    java -version 2>&1 | head -3
    echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "ulimit -n: $(ulimit -n)"
    echo "socket path: $SOCKET (swarmcast.delivery.socket)"
    if [ "$AUTH" = 1 ]; then
        echo "authentication: on (viewer and producer bearer tokens on every request)"
    else
        echo "authentication: off"
    fi
    echo '```'
} | tee "$RESULTS"

server_pid_args() {
    echo "--url http://127.0.0.1:$PORT --server-pid $SERVER_PID --label $LABEL"
}

needs_server=0
for s in $SCENARIOS; do
    case $s in fanout | inprocess | profile | resume | storm | nonreaders) needs_server=1 ;; esac
done
if [ "$needs_server" = 1 ]; then
    start_server main "$SERVER_XMX"
    # The JIT compiles the hot paths during the first tens of seconds under load (C2 alone took 40% of the
    # server's CPU in the first row of early runs): warm the server up first and report nothing of it.
    log "== warm-up (not reported)"
    bench fanout --url "http://127.0.0.1:$PORT" --clients 100 --rate max --duration "$WARMUP_SERVER" --warmup 0s >/dev/null 2>&1 || true
    bench fanout --url "http://127.0.0.1:$PORT" --clients 10 --rate max --batch 50 --duration 5s --warmup 0s >/dev/null 2>&1 || true
fi

for scenario in $SCENARIOS; do
    case $scenario in
    fanout)
        log "== fanout over HTTP"
        # shellcheck disable=SC2046
        {
            echo
            echo "## fanout: POST /api/events, 1,000 events/s, 1 to 1,000 clients"
            bench fanout $(server_pid_args) --clients "$CLIENTS_LIST" --rate 1000 --duration "$DURATION" --warmup "$WARMUP"
            echo
            echo "## fanout: 100 clients at the latency targets (500 and 2,000 events/s)"
            bench fanout $(server_pid_args) --clients 100 --rate 500,2000 --duration "$DURATION" --warmup "$WARMUP"
            echo
            echo "## fanout: 100 clients, 4 producers posting single events as fast as they are answered"
            bench fanout $(server_pid_args) --clients 100 --rate max --duration "$DURATION" --warmup "$WARMUP"
            echo
            echo "## fanout: 100 clients, maximum sustainable rate, batches of 10 (search)"
            bench fanout $(server_pid_args) --clients 100 --rate search --batch 10 --duration "$SEARCH_DURATION" --warmup 1s --max-steps "$SEARCH_STEPS"
        } | tee -a "$RESULTS"
        ;;
    inprocess)
        log "== fanout from the in-process source"
        # shellcheck disable=SC2046
        {
            echo
            echo "## fanout: in-process source (EventServer.broadcast), 100 clients"
            bench fanout $(server_pid_args) --source in-process --clients 100 --rate 1000 --duration "$DURATION" --warmup "$WARMUP"
            echo
            echo "## fanout: in-process source, 100 clients, maximum sustainable rate (search)"
            bench fanout $(server_pid_args) --source in-process --clients 100 --rate search --duration "$SEARCH_DURATION" --warmup 1s --max-steps "$SEARCH_STEPS"
        } | tee -a "$RESULTS"
        ;;
    profile)
        log "== JFR profile of a fanout run (100 clients, maximum rate)"
        jfr_file="$OUT/fanout-$LABEL.jfr"
        jcmd "$SERVER_PID" JFR.start name=bench settings=profile >/dev/null
        # shellcheck disable=SC2046
        {
            echo
            echo "## profile: JFR during fanout, 100 clients, maximum rate (numbers under the profiler)"
            bench fanout $(server_pid_args) --clients 100 --rate max --duration "$DURATION" --warmup 1s --thread-cpu true
        } | tee -a "$RESULTS"
        jcmd "$SERVER_PID" JFR.stop name=bench filename="$(pwd)/$jfr_file" >/dev/null
        bench jfr-top "$jfr_file" --top 25 | tee -a "$RESULTS"
        ;;
    resume)
        log "== resume"
        # shellcheck disable=SC2046
        {
            echo
            echo "## resume: 100 clients drop and resume with sinceSeq while 5,000 events/s are offered"
            echo
            echo "Single events per request first (HTTP ingest may not take 5,000/s), then batches of 10."
            bench resume $(server_pid_args) --clients 100 --rate 5000 --rounds "$ROUNDS"
            bench resume $(server_pid_args) --clients 100 --rate 5000 --batch 10 --rounds "$ROUNDS" \
                --label "$LABEL x10" --header false
        } | tee -a "$RESULTS"
        ;;
    storm)
        log "== reconnect storm"
        # shellcheck disable=SC2046
        {
            echo
            echo "## storm: $STORM_CLIENTS clients reconnect with sinceSeq at once while 50 live clients receive 1,000 events/s"
            echo
            echo "Live clients' latency in a quiet phase and from the reconnect until every storming client caught up."
            bench storm $(server_pid_args) --live 50 --clients "$STORM_CLIENTS" --rate 1000 --quiet "$DURATION" --warmup "$WARMUP"
        } | tee -a "$RESULTS"
        ;;
    connections)
        log "== connections (a fresh server, -Xmx$CONN_XMX)"
        stop_server
        start_server connections "$CONN_XMX"
        steps="$((CONNECTIONS / 10)),$((CONNECTIONS / 4)),$((CONNECTIONS / 2)),$CONNECTIONS"
        # shellcheck disable=SC2046
        {
            echo
            echo "## connections: up to $CONNECTIONS idle subscribed connections (server -Xmx$CONN_XMX)"
            bench connections $(server_pid_args) --clients "$CONNECTIONS" --steps "$steps"
        } | tee -a "$RESULTS"
        ;;
    nonreaders)
        log "== non-readers beside readers"
        # No warm-up: the non-readers are detected and closed within seconds, and that is the window measured.
        # shellcheck disable=SC2046
        {
            echo
            echo "## non-readers: 10 reading clients at 1,000 events/s (in-process), beside N clients that subscribe and never read"
            echo
            echo "Readers' latency with 0 non-readers is the reference; the target is p99 within 2x of it, no reader closed."
            bench fanout $(server_pid_args) --source in-process --clients 10 --rate 1000 --non-readers "$NON_READERS" \
                --duration "$DURATION" --warmup 0s
        } | tee -a "$RESULTS"
        ;;
    redis)
        log "== two instances on one Redis log"
        stop_server
        start_redis
        redis_log="--swarmcast.log.type=redis --spring.data.redis.url=redis://127.0.0.1:$REDIS_PORT"
        # shellcheck disable=SC2086
        start_server redis-b "$SERVER_XMX" $redis_log --swarmcast.server-id=bench-b
        SERVER_B_PID=$SERVER_PID
        PORT_B=$PORT
        # shellcheck disable=SC2086
        start_server redis-a "$SERVER_XMX" $redis_log --swarmcast.server-id=bench-a
        cluster_args="--url http://127.0.0.1:$PORT --url-b http://127.0.0.1:$PORT_B --server-pid $SERVER_PID"
        cluster_args="$cluster_args --server-b-pid $SERVER_B_PID --redis-pid $REDIS_PID --label $LABEL"
        log "== warm-up of both instances (not reported)"
        # shellcheck disable=SC2086
        bench cluster $cluster_args --clients "$CLUSTER_CLIENTS" --rate max --duration "$WARMUP_SERVER" --warmup 0s >/dev/null 2>&1 || true
        # shellcheck disable=SC2086
        {
            echo
            echo "## redis: two instances on one Redis log ($REDIS_ARGS), producer on A, $CLUSTER_CLIENTS clients on each"
            echo
            echo "Latency targets (500 and 2,000 events/s), then saturation: 4 producers posting as fast as they are answered, single events and batches of 10."
            bench cluster $cluster_args --clients "$CLUSTER_CLIENTS" --rate 500,2000,max --duration "$DURATION" --warmup "$WARMUP"
            bench cluster $cluster_args --clients "$CLUSTER_CLIENTS" --rate max --batch 10 --duration "$DURATION" \
                --warmup "$WARMUP" --header false
        } | tee -a "$RESULTS"
        stop_server
        ;;
    timeline)
        log "== time travel (a fresh server, history $TIMELINE_EVENTS, -Xmx$TIMELINE_XMX)"
        stop_server
        SERVER_HISTORY=$TIMELINE_EVENTS
        # 1,024 checkpoints of 1,000 events reach back over the whole history.
        start_server timeline "$TIMELINE_XMX" --swarmcast.timeline.max-checkpoints=1024 --swarmcast.metrics-enabled=false
        SERVER_HISTORY=200000
        # shellcheck disable=SC2046
        {
            echo
            echo "## timeline: state at a random point of a $TIMELINE_EVENTS-event history (GET /api/state?atSeq=N, ?at=T)"
            echo
            echo "One query at a time; checkpoint every 1,000 events (the default), 1,024 kept. 50 agents, 2,000 tasks, 200 memory keys."
            bench timeline $(server_pid_args) --events "$TIMELINE_EVENTS"
        } | tee -a "$RESULTS"
        stop_server
        ;;
    *)
        log "unknown scenario '$scenario' (fanout inprocess profile resume storm nonreaders connections redis timeline)"
        exit 2
        ;;
    esac
done

stop_server
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$RESULTS"
log "results: $RESULTS"
