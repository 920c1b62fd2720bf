package io.swarmcast.replica;

import io.swarmcast.event.DashboardEvent;
import io.swarmcast.log.EventJson;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one checkpoint of the folded state, a hash next to the log's keys ({@code {prefix}:checkpoint}, same Cluster
 * slot): {@code seq} and {@code epoch} (the state is the fold of that epoch's events up to that seq), and
 * {@code state}, a JSON array of {@code {"k": kind, "e": event}} written with {@link EventJson}. Any instance may
 * write it; a script keeps the newest, so instances racing to write cannot set it back.
 */
final class CheckpointStore {

    private static final RedisScript<Long> WRITE = new DefaultRedisScript<>("""
            local seq = redis.call('HGET', KEYS[1], 'seq')
            local epoch = redis.call('HGET', KEYS[1], 'epoch')
            if seq and epoch == ARGV[2] and tonumber(seq) >= tonumber(ARGV[1]) then
              return 0
            end
            redis.call('HSET', KEYS[1], 'seq', ARGV[1], 'epoch', ARGV[2], 'state', ARGV[3])
            return 1
            """, Long.class);

    private final StringRedisTemplate redis;
    private final String key;
    private final EventJson json = new EventJson();
    private final JsonMapper mapper = JsonMapper.builder().build();

    record Checkpoint(long seq, String epoch, List<DashboardEvent> state) {
    }

    CheckpointStore(StringRedisTemplate redis, String keyPrefix) {
        this.redis = redis;
        this.key = "{" + keyPrefix + "}:checkpoint";
    }

    String key() {
        return key;
    }

    /** @return whether it was written (false when a checkpoint as new or newer of that epoch is there) */
    boolean write(long seq, String epoch, List<DashboardEvent> state) {
        ArrayNode array = mapper.createArrayNode();
        for (DashboardEvent event : state) {
            array.addObject().put("k", json.kind(event)).put("e", json.write(event));
        }
        Long written = redis.execute(WRITE, List.of(key), Long.toString(seq), epoch, mapper.writeValueAsString(array));
        return written != null && written == 1;
    }

    /** The checkpoint, or null when there is none. */
    Checkpoint read() {
        Map<Object, Object> hash = redis.opsForHash().entries(key);
        if (hash == null || hash.get("seq") == null || hash.get("state") == null) {
            return null;
        }
        List<DashboardEvent> state = new ArrayList<>();
        for (JsonNode entry : mapper.readTree(hash.get("state").toString())) {
            state.add(json.read(entry.path("k").asString(), entry.path("e").asString()));
        }
        return new Checkpoint(Long.parseLong(hash.get("seq").toString()), String.valueOf(hash.get("epoch")), state);
    }
}
