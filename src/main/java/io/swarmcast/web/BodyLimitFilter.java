package io.swarmcast.web;

import io.swarmcast.SwarmcastProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Bounds every request body, before anything reads it whole: a body whose Content-Length is over the limit is
 * answered 413 {@code too_large} at once, and every other body is read through a counting stream that fails
 * with {@link BodyTooLargeException} (also 413) as soon as it passes the limit, so a chunked body cannot grow
 * the heap either. Being a filter, it covers every controller, {@code @RequestBody} ones included.
 * <p>
 * The ingest endpoints ({@code POST /api/events} takes a batch, {@code POST /event} an envelope) get
 * {@code limits.max-body-size}; every other request (the commands, memory values) becomes at most one event,
 * so its body gets {@code limits.max-event-size}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class BodyLimitFilter extends OncePerRequestFilter {

    /** The endpoints whose body may carry many events. */
    static final Set<String> INGEST_PATHS = Set.of("/api/events", "/event");

    private final long maxBodyBytes;
    private final long maxEventBytes;

    BodyLimitFilter(SwarmcastProperties properties) {
        this.maxBodyBytes = properties.limits().maxBodySize().toBytes();
        this.maxEventBytes = properties.limits().maxEventSize().toBytes();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean ingest = INGEST_PATHS.contains(request.getRequestURI());
        long limit = ingest ? maxBodyBytes : maxEventBytes;
        String setting = ingest ? "swarmcast.limits.max-body-size" : "swarmcast.limits.max-event-size";
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            String message = tooLarge(limit, setting);
            RejectionLog.info("too_large", "{} {}: Content-Length {} over {}", request.getMethod(),
                    request.getRequestURI(), declared, limit);
            ApiError.write(response, HttpStatus.CONTENT_TOO_LARGE, ApiError.TOO_LARGE, message);
            return;
        }
        chain.doFilter(new Bounded(request, limit, tooLarge(limit, setting)), response);
    }

    static String tooLarge(long limit, String setting) {
        return "request body is larger than the limit of " + limit + " bytes (" + setting + ")";
    }

    /** The request with its body stream counted. */
    private static final class Bounded extends HttpServletRequestWrapper {

        private final long limit;
        private final String message;
        private ServletInputStream stream;

        Bounded(HttpServletRequest request, long limit, String message) {
            super(request);
            this.limit = limit;
            this.message = message;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new CountingStream(super.getInputStream(), limit, message);
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding != null ? Charset.forName(encoding) : StandardCharsets.UTF_8;
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }

    private static final class CountingStream extends ServletInputStream {

        private final ServletInputStream in;
        private final long limit;
        private final String message;
        private long count;

        CountingStream(ServletInputStream in, long limit, String message) {
            this.in = in;
            this.limit = limit;
            this.message = message;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b != -1) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int read = in.read(buffer, offset, length);
            if (read > 0) {
                counted(read);
            }
            return read;
        }

        private void counted(int bytes) throws BodyTooLargeException {
            count += bytes;
            if (count > limit) {
                RejectionLog.info("too_large", "body over {} bytes", limit);
                throw new BodyTooLargeException(message);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
