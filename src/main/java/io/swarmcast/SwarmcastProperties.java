package io.swarmcast;

import io.swarmcast.config.DataSizeRange;
import io.swarmcast.config.DurationRange;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.List;

/**
 * Every {@code swarmcast.*} setting with its default, and the range it must be in: a value outside fails startup
 * with Spring's report naming the setting, and a {@code swarmcast.*} name that is none of these components fails
 * it too ({@code config.UnknownSettings}, which reads the names off this record). The defaults live here, in code, so the service
 * runs the same without any configuration file; the top-level {@code application.yml} documents and
 * overrides them for operators.
 *
 * @param port              HTTP and WebSocket port ({@code --port=N} on the command line)
 * @param host              address to bind ({@code --host=H}); {@code 0.0.0.0} for every interface
 * @param serverId          this instance's name in {@code welcome} frames; the host name when blank
 * @param maxConnections    WebSocket connections accepted at once; the next is closed with 1013
 * @param heartbeatInterval WebSocket ping period; a connection silent for two periods is closed
 * @param historySize       durable events kept for replay and resume
 * @param compatPort        port of the Claude Flow CLI compatibility listener ({@code POST /event});
 *                          unset means port + 1, 0 picks a free port
 * @param compatEnabled     whether the compatibility listener runs at all
 * @param metricsEnabled    whether the server emits {@code metrics:update} every second; turn it off when a
 *                          producer posts its own metrics
 * @param limits            the limits of docs/protocol.md section 6
 * @param log               where durable events are kept: the event log
 * @param admission         admission control: when writes are refused because delivery is behind
 * @param delivery          how frames reach the clients' sockets
 * @param auth              bearer tokens for viewers and producers (docs/security.md)
 * @param allowedOrigins    browser origins (Spring origin patterns) besides the server's own that may open the
 *                          WebSocket, send state-changing requests and get CORS headers; the default admits
 *                          pages served from this machine (localhost, 127.0.0.1, [::1], any port)
 * @param connections       admission of connections: per remote address, unsubscribed connections, slow requests,
 *                          kernel send buffers
 * @param conflation        when and how far a client that subscribed with {@code "conflate":true} is conflated
 *                          rather than closed as a slow consumer
 */
@Validated
@ConfigurationProperties("swarmcast")
public record SwarmcastProperties(
        @DefaultValue("3001") @Min(0) @Max(65535) int port,
        @DefaultValue("localhost") @NotBlank String host,
        String serverId,
        @DefaultValue("10000") @Min(1) @Max(1_000_000) int maxConnections,
        @DefaultValue("30000ms") @DurationRange(min = "100ms", max = "1h") Duration heartbeatInterval,
        @DefaultValue("10000") @Min(1) @Max(10_000_000) int historySize,
        @Min(0) @Max(65535) Integer compatPort,
        @DefaultValue("true") boolean compatEnabled,
        @DefaultValue("true") boolean metricsEnabled,
        @DefaultValue @Valid Limits limits,
        @DefaultValue @Valid Tasks tasks,
        @DefaultValue @Valid Demo demo,
        @DefaultValue @Valid EventLogSettings log,
        @DefaultValue @Valid Admission admission,
        @DefaultValue @Valid Delivery delivery,
        @DefaultValue @Valid Auth auth,
        @DefaultValue({"http://localhost:[*]", "http://127.0.0.1:[*]", "http://[::1]:[*]"})
        List<@NotBlank String> allowedOrigins,
        @DefaultValue @Valid Connections connections,
        @DefaultValue @Valid Conflation conflation,
        @DefaultValue @Valid Timeline timeline) {

    /**
     * Time travel (docs/architecture.md, "Time travel"): the state at a point of the log, and playback over WebSocket.
     *
     * @param checkpointEvery  events between two in-memory checkpoints of the folded state; a point is answered from
     *                         the checkpoint before it plus at most this many events read from the log
     * @param maxCheckpoints   checkpoints kept; the oldest go first, and with them the points before the oldest. Each
     *                         holds about what changed since the one before (unchanged entities are shared), at
     *                         most the whole state; keep checkpoint-every x max-checkpoints >= history-size to reach
     *                         as far back as the history does
     * @param maxPlaybacks     WebSocket playbacks running at once on this server (one per connection at most); 0
     *                         turns playback off
     * @param playbackPage     events a playback reads from the log at a time, each time its client's queue drained
     * @param playbackMaxSpeed the largest {@code speed} a playback may ask for (0 means as fast as the client reads)
     */
    public record Timeline(
            @DefaultValue("1000") @Min(16) @Max(1_000_000) int checkpointEvery,
            @DefaultValue("128") @Min(1) @Max(1_000_000) int maxCheckpoints,
            @DefaultValue("100") @Min(0) @Max(100_000) int maxPlaybacks,
            @DefaultValue("256") @Min(1) @Max(10_000) int playbackPage,
            @DefaultValue("1000") @Min(1) @Max(1_000_000) int playbackMaxSpeed) {
    }

    /**
     * @param type  which event log keeps history and assigns seqs: {@code memory}, a ring in this process (the
     *              default; history and seqs restart with the process), or {@code redis}, a stream shared by
     *              every instance on one Redis ({@code spring.data.redis.*} or {@code REDIS_URL} say where)
     * @param redis settings of the Redis log, unused with the in-memory one
     */
    public record EventLogSettings(
            @DefaultValue("memory") LogType type,
            @DefaultValue @Valid Redis redis) {
    }

    /** The event logs Swarmcast can run on; {@code swarmcast.log.type} picks one. */
    public enum LogType {
        MEMORY,
        REDIS
    }

    /**
     * @param keyPrefix   prefix of the log's keys, {@code {prefix}:meta} and {@code {prefix}:stream}: the braces make
     *                    it a Redis Cluster hash tag, so both keys share one slot; instances sharing a log share it
     * @param tailBlock   how long the tail's blocking read waits for new events before it checks the log's epoch
     * @param maxBackoff  longest wait between two attempts to reach Redis again after a failure
     * @param checkpointEvery    a checkpoint of the folded domain state ({@code {prefix}:checkpoint}) is written after
     *                           this many events applied since the last one
     * @param checkpointInterval ... or this long after the last one, when events were applied since
     */
    public record Redis(
            @DefaultValue("swarmcast") @NotBlank String keyPrefix,
            @DefaultValue("1s") Duration tailBlock,
            @DefaultValue("2s") Duration maxBackoff,
            @DefaultValue("1000") @Min(1) int checkpointEvery,
            @DefaultValue("10s") Duration checkpointInterval) {
    }

    /**
     * @param socket how frames are written to a client's connection: {@code direct} below the WebSocket API,
     *               into Tomcat's socket (one gathering write per batch, frames encoded once); {@code standard}
     *               through the Jakarta WebSocket API only; {@code auto} is {@code direct} when this Tomcat's
     *               internals are the expected ones (checked at startup), else {@code standard} with a warning
     */
    public record Delivery(@DefaultValue("auto") Socket socket) {

        public enum Socket { AUTO, DIRECT, STANDARD }
    }

    /**
     * Bearer tokens, 16 to 512 characters from {@code A-Z a-z 0-9 . _ ~ -} (checked at startup by the security
     * package, which never prints them). No token at all means authentication is off (only allowed on a loopback address, unless
     * {@code allowAnonymous}). Each list may hold several tokens so one can be rotated without downtime. A
     * producer token also grants everything a viewer token does.
     *
     * @param viewerTokens   tokens that may read: the WebSocket stream, {@code GET /api/**}, health details,
     *                       the actuator ({@code SWARMCAST_VIEWER_TOKEN}, comma-separated, works too)
     * @param producerTokens tokens that may also write: ingest, commands, the bench endpoint
     *                       ({@code SWARMCAST_PRODUCER_TOKEN})
     * @param allowAnonymous start without tokens even when {@code host} is not a loopback address
     */
    public record Auth(
            @DefaultValue List<String> viewerTokens,
            @DefaultValue List<String> producerTokens,
            @DefaultValue("false") boolean allowAnonymous) {

        public boolean enabled() {
            return !viewerTokens.isEmpty() || !producerTokens.isEmpty();
        }
    }

    /**
     * Who may hold a connection, and for how long. The remote address is the servlet request's
     * {@code getRemoteAddr()}: behind a reverse proxy it is the proxy's, unless {@code server.forward-headers-strategy}
     * makes it the client's.
     *
     * @param maxPerAddress                WebSocket connections one remote address may hold at once; the next
     *                                     handshake gets HTTP 429
     * @param attemptsPerSecondPerAddress  WebSocket handshakes one remote address may start per second, sustained;
     *                                     more get HTTP 429
     * @param attemptBurstPerAddress       handshakes one remote address may start at once before the rate applies
     * @param unsubscribedTimeout          how long a WebSocket may stay subscribed to nothing before it is closed
     *                                     with 4000 "no subscription"; 0 turns this off
     * @param requestHeaderTimeout         time from the first byte of an HTTP request (a WebSocket handshake
     *                                     included) to its last header; a slower request is dropped. Also Tomcat's
     *                                     per-read and keep-alive timeout unless {@code server.tomcat.*} sets them
     * @param socketSendBuffer             kernel send buffer (SO_SNDBUF) of every connection on the main port, so a
     *                                     client that stops reading pins at most about twice this in kernel memory;
     *                                     0 leaves the kernel's own (auto-tuned, up to several MiB)
     * @param handshakeConcurrency         WebSocket handshakes processed at once, server-wide; 0 means one per
     *                                     available processor. Keeps a reconnect storm's handshakes from taking
     *                                     the CPU from the delivery thread (docs/architecture.md)
     * @param handshakeQueue               handshakes that may wait for one of those slots (each holds a request
     *                                     thread while it waits, so keep it well below {@code server.tomcat.threads.max});
     *                                     more get HTTP 503 {@code overloaded} with {@code Retry-After: 1}
     * @param handshakeWait                how long a handshake waits for a slot before it gets that 503
     */
    public record Connections(
            @DefaultValue("100") @Min(1) @Max(1_000_000) int maxPerAddress,
            @DefaultValue("20") @Min(1) @Max(1_000_000) int attemptsPerSecondPerAddress,
            @DefaultValue("40") @Min(1) @Max(1_000_000) int attemptBurstPerAddress,
            @DefaultValue("60s") @DurationRange(min = "0s", max = "1d") Duration unsubscribedTimeout,
            @DefaultValue("10s") @DurationRange(min = "100ms", max = "10m") Duration requestHeaderTimeout,
            @DefaultValue("64KB") @DataSizeRange(min = "0B", max = "64MB") DataSize socketSendBuffer,
            @DefaultValue("0") @Min(0) @Max(10_000) int handshakeConcurrency,
            @DefaultValue("100") @Min(0) @Max(100_000) int handshakeQueue,
            @DefaultValue("2s") @DurationRange(min = "0s", max = "1m") Duration handshakeWait) {
    }

    /**
     * @param finishedRetention how long a completed or failed task stays in the active set (snapshots, dashboards)
     * @param maxFinished       finished tasks kept readable at {@code /api/tasks/{id}}; the oldest go first
     */
    public record Tasks(
            @DefaultValue("5m") @DurationRange(min = "0s", max = "365d") Duration finishedRetention,
            @DefaultValue("10000") @Min(1) @Max(10_000_000) int maxFinished) {
    }

    /**
     * @param enabled  run the simulated swarm ({@code --demo} on the command line)
     * @param seed     seed of its random choices: the same seed plays the same story
     * @param tick     how often the simulation takes a step
     * @param workers  workers besides the coordinator (5 to 8 make a believable swarm)
     */
    public record Demo(
            @DefaultValue("false") boolean enabled,
            @DefaultValue("42") long seed,
            @DefaultValue("400ms") @DurationRange(min = "10ms", max = "1h") Duration tick,
            @DefaultValue("6") @Min(1) @Max(20) int workers) {
    }

    /**
     * @param maxFrameSize          largest inbound WebSocket frame; larger ones close the connection with 1009
     * @param rateLimit             inbound frames per second a connection may send, sustained
     * @param rateBurst             inbound frames a connection may send at once before the rate applies
     * @param rateLimitCloseAfter   frames refused within {@code rateLimitWindow} after which the connection is closed with 1008
     * @param rateLimitWindow       window over which refused frames are counted
     * @param sendBufferLimit       live bytes queued for one client before it is closed as a slow consumer (1013)
     * @param sendTimeLimit         how long one send may stay blocked before the client is closed as a slow consumer
     * @param maxBodySize           largest ingest request body ({@code POST /api/events}, {@code /event}); larger ones get 413
     * @param maxBatchSize          most events in one {@code POST /api/events} array
     * @param maxValueSize          JSON size after which a payload or memory value is cut in events and marked truncated
     * @param replayDefaultLimit    events in a {@code replay} answer when the client gives no limit
     * @param replayMaxLimit        most events a {@code replay} answer may carry
     * @param shutdownFlushTimeout  how long shutdown waits for queued frames to be written before closing with 1001
     * @param maxEventSize          largest event, as JSON with its values whole, let into history (413 at ingest), and the
     *                              body limit of every request other than ingest (a command's body becomes one event)
     * @param replyBufferLimit      answer bytes (snapshot, catch-up, replay, replies) queued for one client before it
     *                              is closed as a slow consumer; one answer alone is always admitted
     * @param totalSendBufferLimit  bytes queued for all clients together; past it the clients with the largest
     *                              queues are closed as slow consumers (1013)
     * @param maxSwarms             swarms held at once, the default one included: every swarm id a producer sends costs
     *                              services, a snapshot and a metrics tick; past it a new id is refused (429 too_many_swarms)
     */
    public record Limits(
            @DefaultValue("64KB") @DataSizeRange(min = "1KB", max = "16MB") DataSize maxFrameSize,
            @DefaultValue("50") @Min(1) @Max(1_000_000) int rateLimit,
            @DefaultValue("100") @Min(1) @Max(1_000_000) int rateBurst,
            @DefaultValue("100") @Min(1) @Max(1_000_000) int rateLimitCloseAfter,
            @DefaultValue("10s") @DurationRange(min = "100ms", max = "1h") Duration rateLimitWindow,
            @DefaultValue("1MB") @DataSizeRange(min = "1KB", max = "1GB") DataSize sendBufferLimit,
            @DefaultValue("10s") @DurationRange(min = "100ms", max = "1h") Duration sendTimeLimit,
            @DefaultValue("1MB") @DataSizeRange(min = "1KB", max = "256MB") DataSize maxBodySize,
            @DefaultValue("1000") @Min(1) @Max(100_000) int maxBatchSize,
            @DefaultValue("4KB") @DataSizeRange(min = "16B", max = "16MB") DataSize maxValueSize,
            @DefaultValue("1000") @Min(1) @Max(1_000_000) int replayDefaultLimit,
            @DefaultValue("10000") @Min(1) @Max(1_000_000) int replayMaxLimit,
            @DefaultValue("5s") @DurationRange(min = "0s", max = "10m") Duration shutdownFlushTimeout,
            @DefaultValue("64KB") @DataSizeRange(min = "1KB", max = "16MB") DataSize maxEventSize,
            @DefaultValue("16MB") @DataSizeRange(min = "1KB", max = "1GB") DataSize replyBufferLimit,
            @DefaultValue("256MB") @DataSizeRange(min = "1MB", max = "64GB") DataSize totalSendBufferLimit,
            @DefaultValue("100") @Min(1) @Max(100_000) int maxSwarms) {
    }

    /**
     * @param maxBacklog work items waiting for the delivery thread past which writes are refused with 503
     *                   {@code overloaded}; a hard bound on what admitted writes can queue (docs/architecture.md).
     *                   At about a million frames/s to 100 clients, 20,000 is about 2 s of delivery.
     * @param retryAfter what the Retry-After header of a 503 tells a producer to wait (whole seconds, at least 1)
     */
    public record Admission(
            @DefaultValue("20000") @Min(1) int maxBacklog,
            @DefaultValue("1s") Duration retryAfter) {
    }

    /**
     * @param threshold live bytes waiting for a conflating client past which its live frames are conflated: only
     *                  the latest of each agent, task, topology and metrics is kept, messages and memory operations
     *                  are skipped and counted (docs/protocol.md 7.3a). Keep it below {@code limits.send-buffer-limit}
     * @param heldLimit bytes a conflating client's conflation may hold (kept frames, and 8 per skipped seq) before
     *                  the client is closed as a slow consumer (1013) after all
     */
    public record Conflation(
            @DefaultValue("256KB") @DataSizeRange(min = "1KB", max = "1GB") DataSize threshold,
            @DefaultValue("1MB") @DataSizeRange(min = "1KB", max = "1GB") DataSize heldLimit) {
    }

    /** The port of the compatibility listener: the configured one, or the main port + 1 (0 when the main port is random). */
    public int effectiveCompatPort(int configuredMainPort) {
        if (compatPort != null) {
            return compatPort;
        }
        return configuredMainPort == 0 ? 0 : configuredMainPort + 1;
    }
}
