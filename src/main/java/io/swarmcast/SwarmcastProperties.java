package io.swarmcast;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Every {@code swarmcast.*} setting with its default. The defaults live here, in code, so the service
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
 */
@Validated
@ConfigurationProperties("swarmcast")
public record SwarmcastProperties(
        @DefaultValue("3001") @Min(0) @Max(65535) int port,
        @DefaultValue("localhost") @NotBlank String host,
        String serverId,
        @DefaultValue("100") @Min(1) int maxConnections,
        @DefaultValue("30000ms") Duration heartbeatInterval,
        @DefaultValue("10000") @Min(1) int historySize,
        @Min(0) @Max(65535) Integer compatPort,
        @DefaultValue("true") boolean compatEnabled,
        @DefaultValue("true") boolean metricsEnabled,
        @DefaultValue @Valid Limits limits,
        @DefaultValue @Valid Tasks tasks,
        @DefaultValue @Valid Demo demo,
        @DefaultValue @Valid EventLogSettings log) {

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
     */
    public record Redis(
            @DefaultValue("swarmcast") @NotBlank String keyPrefix,
            @DefaultValue("1s") Duration tailBlock,
            @DefaultValue("2s") Duration maxBackoff) {
    }

    /**
     * @param finishedRetention how long a completed or failed task stays in the active set (snapshots, dashboards)
     * @param maxFinished       finished tasks kept readable at {@code /api/tasks/{id}}; the oldest go first
     */
    public record Tasks(
            @DefaultValue("5m") Duration finishedRetention,
            @DefaultValue("10000") @Min(1) int maxFinished) {
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
            @DefaultValue("400ms") Duration tick,
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
     * @param maxBodySize           largest ingest request body; larger ones get 413
     * @param maxBatchSize          most events in one {@code POST /api/events} array
     * @param maxValueSize          JSON size after which a payload or memory value is cut in events and marked truncated
     * @param replayDefaultLimit    events in a {@code replay} answer when the client gives no limit
     * @param replayMaxLimit        most events a {@code replay} answer may carry
     * @param shutdownFlushTimeout  how long shutdown waits for queued frames to be written before closing with 1001
     */
    public record Limits(
            @DefaultValue("64KB") DataSize maxFrameSize,
            @DefaultValue("50") @Min(1) int rateLimit,
            @DefaultValue("100") @Min(1) int rateBurst,
            @DefaultValue("100") @Min(1) int rateLimitCloseAfter,
            @DefaultValue("10s") Duration rateLimitWindow,
            @DefaultValue("1MB") DataSize sendBufferLimit,
            @DefaultValue("10s") Duration sendTimeLimit,
            @DefaultValue("1MB") DataSize maxBodySize,
            @DefaultValue("1000") @Min(1) int maxBatchSize,
            @DefaultValue("4KB") DataSize maxValueSize,
            @DefaultValue("1000") @Min(1) int replayDefaultLimit,
            @DefaultValue("10000") @Min(1) int replayMaxLimit,
            @DefaultValue("5s") Duration shutdownFlushTimeout) {
    }

    /** The port of the compatibility listener: the configured one, or the main port + 1 (0 when the main port is random). */
    public int effectiveCompatPort(int configuredMainPort) {
        if (compatPort != null) {
            return compatPort;
        }
        return configuredMainPort == 0 ? 0 : configuredMainPort + 1;
    }
}
