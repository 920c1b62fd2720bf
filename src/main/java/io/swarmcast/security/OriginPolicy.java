package io.swarmcast.security;

import io.swarmcast.SwarmcastProperties;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.util.WebUtils;

import java.util.List;

/**
 * Which browser origins may open the WebSocket, send state-changing requests and read answers across origins:
 * the server's own origin (the built-in dashboard) and {@code swarmcast.allowed-origins}, Spring origin
 * patterns ({@code https://*.example.com}, {@code http://localhost:[*]} for any port). A request without
 * {@code Origin} comes from a program, not a page another site controls, and is allowed.
 * <p>
 * "Same origin" (the {@code Origin} equals the scheme, {@code Host} and port the request came to) is trusted only
 * when tokens are on. With authentication off it proves nothing: a page of {@code http://evil.example:3001} whose
 * name the attacker re-points at 127.0.0.1 (DNS rebinding) sends {@code Origin} and {@code Host} that agree. Then
 * only the patterns count, and the default ones cover the dashboard opened at localhost, 127.0.0.1 or [::1].
 */
@Component
public class OriginPolicy {

    private final List<String> patterns;
    private final CorsConfiguration matcher = new CorsConfiguration();

    private final boolean trustSameOrigin;

    OriginPolicy(SwarmcastProperties properties) {
        this.patterns = List.copyOf(properties.allowedOrigins());
        this.trustSameOrigin = properties.auth().enabled();
        matcher.setAllowedOriginPatterns(patterns);
    }

    /** The configured patterns, for the WebSocket registration and the CORS mappings. */
    public List<String> patterns() {
        return patterns;
    }

    boolean allows(HttpServletRequest request) {
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin == null) {
            return true;
        }
        return matcher.checkOrigin(origin) != null
                || (trustSameOrigin && WebUtils.isSameOrigin(new ServletServerHttpRequest(request)));
    }
}
