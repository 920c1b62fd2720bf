package io.swarmcast.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;

import java.util.regex.Pattern;

/**
 * The headers every HTTP answer carries. They matter for the built-in dashboard page: its scripts and styles
 * come from this server only ({@code script-src 'self'}, no inline code, so an event text that slipped into
 * markup could not run), it talks to this server only (the WebSocket included: {@code ws:}/{@code wss:} to its
 * own host are listed explicitly because older browsers do not count them as {@code 'self'}), no other site
 * may frame it (clickjacking), and its URL, which may carry {@code ?token=}, is never sent as a Referer. The
 * JSON answers get the same headers, where they do no harm.
 */
final class SecurityHeaders {

    /** A Host header that is safe to repeat in the policy: a name or address and a port, nothing else. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+\\](:\\d{1,5})?");
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'%s; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private SecurityHeaders() {
    }

    static void apply(HttpServletRequest request, HttpServletResponse response) {
        response.setHeader("Content-Security-Policy", policy(request.getHeader(HttpHeaders.HOST)));
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
    }

    static String policy(String host) {
        String socket = host != null && HOST.matcher(host).matches() ? " ws://" + host + " wss://" + host : "";
        return POLICY.formatted(socket);
    }
}
