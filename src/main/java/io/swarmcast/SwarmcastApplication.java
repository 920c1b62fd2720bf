package io.swarmcast;

import io.swarmcast.launch.BuildVersion;
import io.swarmcast.launch.CommandLineCheck;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

import java.io.PrintStream;

/** Swarmcast: a live event server for AI-agent swarms. */
@SpringBootApplication
@EnableScheduling
@ConfigurationPropertiesScan
public class SwarmcastApplication {

    public static void main(String[] args) {
        // --help, --version and a mistyped option are dealt with before Spring starts: no log, no stack trace.
        CommandLineCheck.Verdict verdict = CommandLineCheck.check(args, BuildVersion.current());
        if (!verdict.run()) {
            PrintStream out = verdict.toStandardError() ? System.err : System.out;
            out.println(verdict.output());
            out.flush();
            System.exit(verdict.exitStatus());
        }
        SpringApplication.run(SwarmcastApplication.class, args);
    }
}
