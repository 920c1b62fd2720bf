package io.swarmcast.event;

import io.swarmcast.SwarmcastProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.ObjectMapper;

/** The codec and parser, configured from {@code swarmcast.limits}. */
@Configuration
class EventConfiguration {

    @Bean
    FrameCodec frameCodec(ObjectMapper mapper, SwarmcastProperties properties) {
        return new FrameCodec(mapper, (int) properties.limits().maxValueSize().toBytes());
    }

    @Bean
    EventParser eventParser(ObjectMapper mapper) {
        return new EventParser(mapper, System::currentTimeMillis);
    }
}
