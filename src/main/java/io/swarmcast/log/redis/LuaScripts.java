package io.swarmcast.log.redis;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

/** The log's Lua scripts, kept as files beside this package (src/main/resources/io/swarmcast/log/redis). */
final class LuaScripts {

    private LuaScripts() {
    }

    /** A script answering one string; Spring runs it by its SHA and sends the text only when Redis lacks it. */
    static RedisScript<String> load(String name) {
        return load(name, String.class);
    }

    /** A script answering a value of {@code type} (Lua integers are {@link Long}). */
    static <T> RedisScript<T> load(String name, Class<T> type) {
        return RedisScript.of(new ClassPathResource("io/swarmcast/log/redis/" + name), type);
    }
}
