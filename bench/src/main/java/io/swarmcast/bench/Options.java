package io.swarmcast.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --key value}, {@code --key=value} and bare {@code --flag} options; every read is recorded for the usage check. */
final class Options {

    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> read = new ArrayList<>();

    Options(String[] args, int from) {
        for (int i = from; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "' (options look like --name value)");
            }
            String name = arg.substring(2);
            int eq = name.indexOf('=');
            if (eq >= 0) {
                values.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                values.put(name, args[++i]);
            } else {
                values.put(name, "true");
            }
        }
    }

    String string(String name, String fallback) {
        read.add(name);
        return values.getOrDefault(name, fallback);
    }

    int integer(String name, int fallback) {
        String v = string(name, null);
        return v == null ? fallback : Integer.parseInt(v.replace("_", ""));
    }

    long longValue(String name, long fallback) {
        String v = string(name, null);
        return v == null ? fallback : Long.parseLong(v.replace("_", ""));
    }

    boolean flag(String name, boolean fallback) {
        String v = string(name, null);
        return v == null ? fallback : Boolean.parseBoolean(v);
    }

    /** {@code 10s}, {@code 500ms}, {@code 2m} or plain seconds. */
    Duration duration(String name, Duration fallback) {
        String v = string(name, null);
        if (v == null) {
            return fallback;
        }
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.endsWith("s")) {
            return Duration.ofMillis((long) (Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
        }
        if (v.endsWith("m")) {
            return Duration.ofMillis((long) (Double.parseDouble(v.substring(0, v.length() - 1)) * 60_000));
        }
        return Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
    }

    /** A comma-separated list of integers, e.g. {@code 1,10,100}. */
    List<Integer> integers(String name, String fallback) {
        List<Integer> list = new ArrayList<>();
        for (String part : string(name, fallback).split(",")) {
            if (!part.isBlank()) {
                list.add(Integer.parseInt(part.trim().replace("_", "")));
            }
        }
        return list;
    }

    /** The HTTP base URL of the server, without a trailing slash. */
    URI url() {
        String url = string("url", "http://localhost:3001");
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        URI uri = URI.create(url);
        if (!"http".equals(uri.getScheme())) {
            throw new IllegalArgumentException("--url must be an http:// URL (the WebSocket URL is derived from it)");
        }
        return uri;
    }

    /** The WebSocket URL: {@code --ws} when given, else the {@code --url} with ws:// and {@code --ws-path} (default {@code /}). */
    URI wsUrl() {
        String explicit = string("ws", null);
        if (explicit != null) {
            return URI.create(explicit);
        }
        URI http = url();
        return URI.create("ws://" + http.getRawAuthority() + string("ws-path", "/"));
    }

    /** The server's process id, or 0 when not given (CPU and RSS are then not reported). */
    long serverPid() {
        return longValue("server-pid", 0);
    }

    /** Fails on options no scenario read, which are typos. */
    void checkAllUsed() {
        List<String> unknown = new ArrayList<>(values.keySet());
        unknown.removeAll(read);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s): --" + String.join(", --", unknown));
        }
    }
}
