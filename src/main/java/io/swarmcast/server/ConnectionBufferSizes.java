package io.swarmcast.server;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Smaller socket buffers for the main connector. Tomcat gives every connection a read and a write buffer
 * of 8 KiB each for as long as it is open; a dashboard connection is idle nearly all the time, reads
 * requests of a few hundred bytes, and its frames are written straight from the shared frame bytes
 * (the direct {@link FrameSocket}), not through the write buffer. At 4 KiB each, 10,000 dashboards hold
 * 80 MiB less (docs/benchmarks.md, connections); HTTP requests and responses just move in 4 KiB steps.
 */
@Component
class ConnectionBufferSizes implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    static final int SOCKET_BUFFER_BYTES = 4 * 1024;

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addConnectorCustomizers(connector -> {
            connector.setProperty("socket.appReadBufSize", Integer.toString(SOCKET_BUFFER_BYTES));
            connector.setProperty("socket.appWriteBufSize", Integer.toString(SOCKET_BUFFER_BYTES));
        });
    }
}
