package io.swarmcast.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;

/**
 * Finds the token a request presents, in this order: {@code Authorization: Bearer <token>}; on a WebSocket
 * handshake, a subprotocol {@code bearer.<token>} in {@code Sec-WebSocket-Protocol} (what a browser can set);
 * then the query parameter {@code token} (what the stock Claude Flow dashboard and a plain URL can carry).
 * The query is parsed here rather than with {@code getParameter}, which would read a form body.
 */
final class BearerCredentials {

    static final String SUBPROTOCOL_PREFIX = "bearer.";
    static final String QUERY_PARAMETER = "token";
    private static final String SCHEME = "Bearer ";

    private BearerCredentials() {
    }

    /** The presented token, or null when the request carries none. */
    static String of(HttpServletRequest request, boolean handshake) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return header.substring(SCHEME.length()).trim();
        }
        if (handshake) {
            String subprotocol = subprotocolToken(request.getHeaders("Sec-WebSocket-Protocol"));
            if (subprotocol != null) {
                return subprotocol;
            }
        }
        return queryToken(request.getQueryString());
    }

    private static String subprotocolToken(Enumeration<String> headers) {
        while (headers != null && headers.hasMoreElements()) {
            for (String protocol : headers.nextElement().split(",")) {
                String trimmed = protocol.trim();
                if (trimmed.startsWith(SUBPROTOCOL_PREFIX)) {
                    return trimmed.substring(SUBPROTOCOL_PREFIX.length());
                }
            }
        }
        return null;
    }

    static String queryToken(String query) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith(QUERY_PARAMETER + "=")) {
                try {
                    return URLDecoder.decode(pair.substring(QUERY_PARAMETER.length() + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return ""; // a malformed escape: a token that matches nothing
                }
            }
        }
        return null;
    }
}
