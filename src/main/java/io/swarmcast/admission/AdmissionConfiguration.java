package io.swarmcast.admission;

import lombok.RequiredArgsConstructor;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Puts {@link AdmissionInterceptor} in front of the command APIs. */
@Configuration
@RequiredArgsConstructor
class AdmissionConfiguration implements WebMvcConfigurer {

    private final Admission admission;

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new AdmissionInterceptor(admission)).addPathPatterns(AdmissionInterceptor.COMMAND_PATHS);
    }
}
