package io.swarmcast.security;

import io.swarmcast.web.ApiError;
import io.swarmcast.web.RejectionLog;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.security.Principal;
import java.util.Optional;

/**
 * Every HTTP request and WebSocket handshake, on both connectors, passes here first, in this order:
 * <ol>
 *   <li>security headers on the answer ({@link SecurityHeaders});</li>
 *   <li>with authentication off on a loopback address, a {@code Host} that does not name this machine: 403
 *       {@code forbidden} (a DNS-rebinding page reaches 127.0.0.1 under its own name, and its same-origin reads
 *       carry no {@code Origin});</li>
 *   <li>a request from a browser page whose {@code Origin} is not allowed ({@link OriginPolicy}): 403
 *       {@code forbidden}, whatever the token, unless it only reads the dashboard page, its files or the health
 *       probes. This covers the WebSocket handshake, every state-changing request (POST, PUT, PATCH, DELETE, with
 *       or without a body), CORS preflights and API reads;</li>
 *   <li>when tokens are configured, the token the rule asks for ({@link AccessRules}): none or an unknown one is
 *       401 {@code unauthorized} with {@code WWW-Authenticate: Bearer}; a viewer token where a producer token
 *       is needed is 403 {@code forbidden} (RFC 6750's {@code insufficient_scope});</li>
 *   <li>ingest, and any state-changing request with a body, must be {@code application/json}: else 415
 *       {@code unsupported_media_type}.</li>
 * </ol>
 * The request then goes on carrying a {@link TokenPrincipal} when it presented a valid token (or, with
 * authentication off, when the server listens on loopback only), which is what lets the actuator show health
 * details. Each refusal is one rate-limited INFO line naming method, path and remote address: never the token,
 * never the query string it may travel in.
 */
@Component
@Order(SecurityFilter.ORDER)
class SecurityFilter extends OncePerRequestFilter {

    /** Right after character encoding, before anything reads a body or records the request as served. */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    private final TokenVerifier tokens;
    private final OriginPolicy origins;
    private final TokenPrincipal anonymous;
    /** Auth off on loopback: the Host must name this machine too, or a rebound DNS name could reach us. */
    private final boolean checkHost;

    SecurityFilter(TokenVerifier tokens, OriginPolicy origins, ExposureGuard exposure) {
        this.tokens = tokens;
        this.origins = origins;
        this.checkHost = !tokens.enabled() && exposure.loopbackOnly();
        this.anonymous = checkHost ? TokenPrincipal.LOCAL : null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        SecurityHeaders.apply(request, response);
        if (checkHost && !LoopbackHost.is(request.getServerName())) {
            refuse(request, response, HttpStatus.FORBIDDEN, ApiError.FORBIDDEN, "host",
                    "this server answers to localhost only (Host " + abbreviate(request.getServerName()) + ")");
            return;
        }
        boolean handshake = isWebSocketHandshake(request);
        if (!AccessRules.foreignPageMay(request, handshake) && !origins.allows(request)) {
            refuse(request, response, HttpStatus.FORBIDDEN, ApiError.FORBIDDEN, "origin",
                    "requests from this page's origin are not allowed (swarmcast.allowed-origins)");
            return;
        }
        if (CorsUtils.isPreFlightRequest(request)) {
            chain.doFilter(request, response); // an allowed origin's preflight: Spring's CORS handling answers it
            return;
        }
        TokenPrincipal principal = anonymous;
        if (tokens.enabled()) {
            AccessRules.Access needed = AccessRules.required(request, handshake);
            String token = BearerCredentials.of(request, handshake);
            Optional<Role> role = tokens.verify(token);
            if (needed != AccessRules.Access.OPEN && role.isEmpty()) {
                response.setHeader(HttpHeaders.WWW_AUTHENTICATE,
                        token == null ? "Bearer realm=\"swarmcast\"" : "Bearer realm=\"swarmcast\", error=\"invalid_token\"");
                refuse(request, response, HttpStatus.UNAUTHORIZED, ApiError.UNAUTHORIZED, "token",
                        token == null ? "a bearer token is required" : "the bearer token is not valid");
                return;
            }
            if (needed == AccessRules.Access.PRODUCER && !role.get().grants(Role.PRODUCER)) {
                response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"swarmcast\", error=\"insufficient_scope\"");
                refuse(request, response, HttpStatus.FORBIDDEN, ApiError.FORBIDDEN, "role",
                        "this request needs a producer token; a viewer token may only read");
                return;
            }
            principal = role.map(TokenPrincipal::of).orElse(null);
        }
        if (AccessRules.needsJson(request) && !AccessRules.isJson(request)) {
            refuse(request, response, HttpStatus.UNSUPPORTED_MEDIA_TYPE, ApiError.UNSUPPORTED_MEDIA_TYPE, "media-type",
                    "the request body must be JSON: send Content-Type: application/json");
            return;
        }
        chain.doFilter(principal == null ? request : new Authenticated(request, principal), response);
    }

    /** Error dispatches and async continuations were checked when the request first came in. */
    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return true;
    }

    static boolean isWebSocketHandshake(HttpServletRequest request) {
        return "GET".equals(request.getMethod()) && "websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE));
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, HttpStatus status,
                               String code, String kind, String message) throws IOException {
        RejectionLog.info(kind, "{} {} {} from {}{}: {}", status.value(), request.getMethod(),
                AccessRules.path(request), request.getRemoteAddr(), originOf(request), message);
        ApiError.write(response, status, code, message);
    }

    private static String originOf(HttpServletRequest request) {
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        return origin == null ? "" : " (Origin " + abbreviate(origin) + ")";
    }

    private static String abbreviate(String value) {
        return value == null ? "none" : value.length() > 100 ? value.substring(0, 100) + "..." : value;
    }

    /** The request as the rest of the application sees it once a token (or loopback) vouched for it. */
    private static final class Authenticated extends HttpServletRequestWrapper {
        private final TokenPrincipal principal;

        Authenticated(HttpServletRequest request, TokenPrincipal principal) {
            super(request);
            this.principal = principal;
        }

        @Override
        public Principal getUserPrincipal() {
            return principal;
        }

        @Override
        public String getRemoteUser() {
            return principal.getName();
        }

        @Override
        public boolean isUserInRole(String role) {
            return principal.isInRole(role);
        }

        @Override
        public String getAuthType() {
            return "BEARER";
        }
    }
}
