package io.swarmcast.security;

import java.util.regex.Pattern;

/** Whether a {@code Host} name names this machine: {@code localhost} (and its subdomains), 127.x.y.z, ::1. */
final class LoopbackHost {

    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.\\d{1,3}){3}");

    private LoopbackHost() {
    }

    static boolean is(String serverName) {
        if (serverName == null || serverName.isEmpty()) {
            return true; // HTTP/1.0 without Host: no browser sends that
        }
        String name = serverName.toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        return name.equals("localhost") || name.endsWith(".localhost") || IPV4_LOOPBACK.matcher(name).matches()
                || name.equals("[::1]") || name.equals("::1");
    }
}
