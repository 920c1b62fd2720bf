package io.swarmcast.security;

import lombok.RequiredArgsConstructor;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * CORS headers for the HTTP API, only for the origins {@code swarmcast.allowed-origins} lists (a dashboard
 * served elsewhere on this machine, such as the Claude Flow dashboard's dev server). Any other origin gets no
 * CORS headers, so its pages can neither read answers nor pass a preflight; {@link SecurityFilter} refuses
 * their state-changing requests outright. The server's own page is same-origin and needs none.
 */
@RequiredArgsConstructor
@Configuration(proxyBeanMethods = false)
class CorsMappings implements WebMvcConfigurer {

    private final OriginPolicy origins;

    @Override
    public void addCorsMappings(CorsRegistry registry) {
        String[] patterns = origins.patterns().toArray(String[]::new);
        for (String path : new String[] {"/api/**", "/event"}) {
            registry.addMapping(path)
                    .allowedOriginPatterns(patterns)
                    .allowedMethods("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
                    .allowedHeaders("Content-Type", "Authorization", "X-Trace-Id", "X-Parent-Id")
                    .maxAge(600);
        }
    }
}
