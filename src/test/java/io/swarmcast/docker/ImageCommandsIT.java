package io.swarmcast.docker;

import io.swarmcast.support.FreePorts;
import io.swarmcast.support.Http;
import io.swarmcast.support.JarProcess;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The image's start command and healthcheck, run outside Docker (no engine here): the Dockerfile's ENTRYPOINT
 * with its ENV (SWARMCAST_HOST=0.0.0.0, JAVA_OPTS) and SWARMCAST_PORT, the jar where the build put it instead
 * of /app, then the HEALTHCHECK command against it, healthy while it runs and unhealthy once it is gone.
 */
class ImageCommandsIT {

    private static final Path LOGS = Path.of("target", "image-commands-it");

    @Test
    void theEntrypointStartsTheJarOnSwarmcastPortAndTheHealthcheckFollowsIt() throws Exception {
        Dockerfile dockerfile = Dockerfile.read();
        int port = FreePorts.one();
        List<String> command = new ArrayList<>(dockerfile.entrypoint());
        command.set(2, command.get(2).replace("/app/swarmcast.jar", JarProcess.JAR.toAbsolutePath().toString()));
        command.add("--swarmcast.compat-port=0");
        Map<String, String> env = new HashMap<>(dockerfile.env());
        env.put("SWARMCAST_PORT", Integer.toString(port));
        env.put("JAVA_OPTS", env.get("JAVA_OPTS") + " -Xmx256m -XX:TieredStopAtLevel=1");
        env.put("PATH", JarProcess.java().getParent() + File.pathSeparator + System.getenv("PATH"));

        try (JarProcess app = JarProcess.run(LOGS, "entrypoint", env, command)) {
            app.awaitReady(port);
            assertThat(app.log()).contains("dashboard:   http://localhost:" + port + "/");
            assertThat(Http.get(port, "/actuator/health/readiness").status()).isEqualTo(200);

            assumeTrue(new ProcessBuilder("sh", "-c", "command -v wget").start().waitFor() == 0,
                    "wget, which the healthcheck uses, is not installed");
            assertThat(healthcheck(dockerfile, port)).as("healthy while it runs").isZero();
            app.close();
            assertThat(healthcheck(dockerfile, port)).as("unhealthy once it is gone").isEqualTo(1);
        }
    }

    private static int healthcheck(Dockerfile dockerfile, int port) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", dockerfile.healthcheckCommand())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("SWARMCAST_PORT", Integer.toString(port));
        Process process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }
}
