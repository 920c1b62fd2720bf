package io.swarmcast;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Swarmcast: a live event server for AI-agent swarms. */
@SpringBootApplication
@EnableScheduling
@ConfigurationPropertiesScan
public class SwarmcastApplication {

    public static void main(String[] args) {
        SpringApplication.run(SwarmcastApplication.class, args);
    }
}
