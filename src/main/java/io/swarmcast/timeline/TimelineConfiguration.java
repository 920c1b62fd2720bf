package io.swarmcast.timeline;

import io.swarmcast.SwarmcastProperties;
import io.swarmcast.log.EventLog;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The timeline (a tail listener the event server runs ahead of delivery) and its HTTP query. */
@Configuration(proxyBeanMethods = false)
class TimelineConfiguration {

    @Bean
    Timeline timeline(EventLog eventLog, SwarmcastProperties properties) {
        SwarmcastProperties.Timeline settings = properties.timeline();
        return new Timeline(eventLog, settings.checkpointEvery(), settings.maxCheckpoints(),
                properties.tasks().finishedRetention().toMillis());
    }

    @Bean
    TimelineQuery timelineQuery(Timeline timeline, EventLog eventLog) {
        return new TimelineQuery(timeline, eventLog);
    }
}
