package io.swarmcast.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

import java.util.Set;

/**
 * What a request needs, decided by method and path, deny by default: every request that may change state
 * needs a producer token; every read does need a viewer token, except the few paths listed as open (the
 * dashboard page and its static files, which carry no data, and the health probes, whose details still need
 * a viewer). The path is the container's decoded and normalised servlet path, not the raw URI, so
 * {@code /api/../api/events}, {@code /api;x=1/events} or percent escapes cannot dodge a rule.
 */
final class AccessRules {

    /** What a request must present. */
    enum Access { OPEN, VIEWER, PRODUCER }

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final Set<String> OPEN_PAGES = Set.of("/", "/index.html", "/favicon.ico");
    private static final Set<String> INGEST = Set.of("/api/events", "/event");

    private AccessRules() {
    }

    static Access required(HttpServletRequest request, boolean handshake) {
        if (handshake) {
            return Access.VIEWER;
        }
        if (!SAFE_METHODS.contains(request.getMethod())) {
            return Access.PRODUCER;
        }
        if ("OPTIONS".equals(request.getMethod())) {
            return Access.OPEN; // CORS preflights carry no credentials; Spring's CORS handling answers them
        }
        return isOpenPath(path(request)) ? Access.OPEN : Access.VIEWER;
    }

    /** The dashboard page, its static files and the health probes: nothing there needs a token to be read. */
    static boolean isOpenPath(String path) {
        return OPEN_PAGES.contains(path) || path.startsWith("/js/") || path.startsWith("/css/")
                || path.equals("/actuator/health") || path.startsWith("/actuator/health/");
    }

    /**
     * Whether a browser page on a foreign origin may send this request: only to read the open paths (a page may
     * link the dashboard or load a stylesheet). Everything else, a CORS preflight or a read of the API included,
     * is refused, so a foreign page learns nothing and changes nothing.
     */
    static boolean foreignPageMay(HttpServletRequest request, boolean handshake) {
        String method = request.getMethod();
        return !handshake && ("GET".equals(method) || "HEAD".equals(method)) && isOpenPath(path(request));
    }

    static boolean changesState(HttpServletRequest request) {
        return !SAFE_METHODS.contains(request.getMethod());
    }

    /**
     * Whether the request must be {@code application/json}: ingest always, any other state-changing request
     * when it has a body. So no page on another origin can post with a CORS "simple" content type
     * ({@code text/plain}, a form) and skip the preflight.
     */
    static boolean needsJson(HttpServletRequest request) {
        if (!changesState(request)) {
            return false;
        }
        boolean hasBody = request.getContentLengthLong() > 0 || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
        return hasBody || INGEST.contains(path(request));
    }

    static boolean isJson(HttpServletRequest request) {
        String contentType = request.getContentType();
        if (contentType == null) {
            return false;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.getType().equals("application")
                    && (type.getSubtype().equals("json") || "json".equals(type.getSubtypeSuffix()));
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    static String path(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        String path = (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
        return path.isEmpty() ? "/" : path;
    }
}
