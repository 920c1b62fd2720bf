package io.swarmcast.trace;

import io.swarmcast.SwarmcastProperties;
import lombok.RequiredArgsConstructor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Causal links: the index behind {@code GET /api/trace/{traceId}} (a tail listener the event server chains ahead
 * of delivery, like every {@link io.swarmcast.log.StateTailListener}) and the trace headers of the command APIs.
 */
@Configuration(proxyBeanMethods = false)
@RequiredArgsConstructor
class TraceConfiguration implements WebMvcConfigurer {

    /** The paths of the command APIs, which take a trace from headers (their bodies are not all objects). */
    static final String[] COMMAND_PATHS = {"/api/agents/**", "/api/tasks/**", "/api/messages/**", "/api/memory/**",
            "/api/swarm/**"};

    private final TraceScope traces;

    @Bean
    TraceIndex traceIndex(SwarmcastProperties properties) {
        return new TraceIndex(properties.historySize());
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new TraceHeaderInterceptor(traces)).addPathPatterns(COMMAND_PATHS);
    }
}
