package io.swarmcast.swarm;

import lombok.RequiredArgsConstructor;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.util.List;

/** Registers {@link SwarmArgumentResolver}: {@code ?swarm=} on the command APIs. */
@Configuration(proxyBeanMethods = false)
@RequiredArgsConstructor
class SwarmWebConfiguration implements WebMvcConfigurer {

    private final Swarms swarms;

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new SwarmArgumentResolver(swarms));
    }
}
