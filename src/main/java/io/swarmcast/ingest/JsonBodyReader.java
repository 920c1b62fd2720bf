package io.swarmcast.ingest;

import io.swarmcast.SwarmcastProperties;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads an ingest request body as JSON, refusing one over the body limit with 413 before reading it
 * whole (by its Content-Length, or as soon as a chunked body passes the limit) and non-JSON with 400.
 */
@Component
class JsonBodyReader {

    private final ObjectMapper mapper;
    private final long maxBodyBytes;

    JsonBodyReader(ObjectMapper mapper, SwarmcastProperties properties) {
        this.mapper = mapper;
        this.maxBodyBytes = properties.limits().maxBodySize().toBytes();
    }

    JsonNode read(HttpServletRequest request) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBodyBytes) {
            throw tooLarge();
        }
        byte[] body = readAtMost(request.getInputStream());
        if (body.length == 0) {
            throw IngestException.badRequest("request body is empty; expected JSON");
        }
        try {
            return mapper.readTree(body);
        } catch (JacksonException e) {
            throw IngestException.badRequest("request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private byte[] readAtMost(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int read;
        while ((read = in.read(buffer)) != -1) {
            if (out.size() + read > maxBodyBytes) {
                throw tooLarge();
            }
            out.write(buffer, 0, read);
        }
        return out.toByteArray();
    }

    private IngestException tooLarge() {
        return IngestException.tooLarge("request body is larger than the limit of " + maxBodyBytes + " bytes");
    }
}
