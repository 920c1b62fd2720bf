package io.swarmcast.log.redis;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The log's Lua scripts, kept as files beside this package (src/main/resources/io/swarmcast/log/redis). */
final class LuaScripts {

    private LuaScripts() {
    }

    /** A script answering one string; Spring runs it by its SHA and sends the text only when Redis lacks it. */
    static RedisScript<String> load(String name) {
        return load(name, String.class);
    }

    /**
     * A script answering a value of {@code type} (Lua integers are {@link Long}). The text is read once, here: a
     * script made from the resource itself asks the resource whether it changed on every run (to refresh its SHA),
     * which inside the packaged jar opens a URL connection into the jar per append, under the domain lock.
     */
    static <T> RedisScript<T> load(String name, Class<T> type) {
        ClassPathResource resource = new ClassPathResource("io/swarmcast/log/redis/" + name);
        try {
            return RedisScript.of(resource.getContentAsString(StandardCharsets.UTF_8), type);
        } catch (IOException e) {
            throw new UncheckedIOException("the Lua script " + name + " is missing from the build", e);
        }
    }
}
