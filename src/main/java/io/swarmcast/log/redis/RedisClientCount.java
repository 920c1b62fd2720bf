package io.swarmcast.log.redis;

import io.swarmcast.publish.ClientCount;
import lombok.extern.slf4j.Slf4j;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * The clients connected over every instance on one Redis log: on each metrics tick this instance writes its own
 * count into the hash {@code {prefix}:clients} (its field: the server id and a random suffix, so two instances with
 * one host name do not share a field) and reads back the sum of every count refreshed within {@link #ENTRY_TTL},
 * in one script ({@code clients.lua}). A killed instance stops refreshing its count, which then drops out of the sum
 * within {@link #ENTRY_TTL}; one that stops normally removes it at once.
 *
 * <p>Metrics never wait on or fail with Redis: while the event log knows Redis unreachable, or when the script
 * fails, the count is this instance's own (logged once per outage, not once per tick).
 */
@Slf4j
final class RedisClientCount implements ClientCount, SmartLifecycle {

    /** How long a published count stays in the sum without a refresh: five metrics ticks. */
    static final Duration ENTRY_TTL = Duration.ofSeconds(5);

    private final RedisScript<Long> publishAndSum = LuaScripts.load("clients.lua", Long.class);
    private final StringRedisTemplate redis;
    private final String key;
    private final String field;
    private final IntSupplier ownCount;
    private final BooleanSupplier redisReachable;
    private volatile boolean failing;
    private volatile boolean running;

    /**
     * @param ownCount       this instance's connected clients
     * @param redisReachable whether the event log last reached Redis (false: skip it rather than wait out a timeout)
     */
    RedisClientCount(StringRedisTemplate redis, String keyPrefix, String serverId, IntSupplier ownCount,
                     BooleanSupplier redisReachable) {
        this.redis = redis;
        this.key = "{" + keyPrefix + "}:clients";
        this.field = serverId + "/" + RedisEventLog.newEpoch();
        this.ownCount = ownCount;
        this.redisReachable = redisReachable;
    }

    String key() {
        return key;
    }

    @Override
    public int connectedClients() {
        int own = ownCount.getAsInt();
        if (!redisReachable.getAsBoolean()) {
            return fallBack(own, "the event log cannot reach Redis");
        }
        try {
            Long total = redis.execute(publishAndSum, List.of(key), field, Integer.toString(own),
                    Long.toString(ENTRY_TTL.toMillis()));
            if (failing) {
                failing = false;
                log.info("connected clients counted over every instance again");
            }
            return total == null ? own : (int) Math.min(Integer.MAX_VALUE, total);
        } catch (RuntimeException e) {
            return fallBack(own, RedisEventLog.describe(e));
        }
    }

    private int fallBack(int own, String why) {
        if (!failing) {
            failing = true;
            log.warn("connected clients of other instances unknown ({}): metrics:update counts this instance's own "
                    + "until Redis answers", why);
        }
        return own;
    }

    @Override
    public void start() {
        running = true;
    }

    /** Removes this instance's count, so the others' sums drop at once rather than after {@link #ENTRY_TTL}. */
    @Override
    public void stop() {
        running = false;
        if (!redisReachable.getAsBoolean()) {
            return;
        }
        try {
            redis.opsForHash().delete(key, field);
        } catch (RuntimeException e) {
            // Unreachable: the count drops out of the sum by itself once it is older than ENTRY_TTL.
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Stops right after the metrics ticker and the event server (which closes the clients), before the web server,
     * and well before Spring Data's connection factory (phase 0).
     */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1;
    }
}
