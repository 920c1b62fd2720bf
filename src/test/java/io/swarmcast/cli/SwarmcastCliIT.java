package io.swarmcast.cli;

import io.swarmcast.support.FreePorts;
import com.sun.net.httpserver.HttpServer;
import io.swarmcast.support.Http;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Runs the real {@code bin/swarmcast} script: against the jar that {@code package} built (a background start,
 * status, swarm init, emit, stop), and against a stand-in {@code java} for what reaches the JVM and for a server
 * that dies while starting.
 */
class SwarmcastCliIT {

    private static final Path SCRIPT = Path.of("bin", "swarmcast").toAbsolutePath();
    private static final Path JAR = Path.of("target", "swarmcast.jar").toAbsolutePath();

    @TempDir
    Path dir;

    private record Result(int exit, String output) {
    }

    @AfterEach
    void stopWhatWasLeftRunning() throws IOException {
        Path pidFile = dir.resolve("swarmcast.pid");
        if (Files.exists(pidFile)) {
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void startsInTheBackgroundAnswersCommandsAndStops() throws Exception {
        assertThat(JAR).as("the jar that ./mvnw package builds").exists();
        int port = FreePorts.one();
        Map<String, String> env = env();

        Result start = run(env, 300, "start", "--background", "--port", String.valueOf(port),
                "--swarmcast.compat-port=0");
        assertThat(start.exit()).as(start.output()).isZero();
        assertThat(start.output()).contains("ready", "http://localhost:" + port);
        // The hints name the PID file, so that they work for a second server with its own.
        assertThat(start.output()).contains("SWARMCAST_PID_FILE=" + dir.resolve("swarmcast.pid") + " " + SCRIPT + " stop");
        assertThat(start.output()).as("no progress dots when the output is not a terminal").doesNotContain("..");
        long pid = Long.parseLong(Files.readAllLines(dir.resolve("swarmcast.pid")).get(0).trim());
        assertThat(running(pid)).isTrue();
        Http.Response readiness = Http.get(port, "/actuator/health/readiness");
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.json().path("status").asString()).isEqualTo("UP");
        assertThat(Http.get(port, "/api/agents").json()).as("no demo unless asked").isEmpty();

        // Later commands find the port that start remembered: no --port from here on.
        Result status = run(env, 60, "status");
        assertThat(status.exit()).as(status.output()).isZero();
        String epoch = Http.get(port, "/actuator/health/readiness").json()
                .path("components").path("swarmcast").path("details").path("epoch").asString();
        assertThat(status.output()).contains("UP", "clients connected: 0", "epoch:             " + epoch,
                "PID:               " + pid);

        Result init = run(env, 60, "swarm", "init", "--topology", "mesh", "--agents", "4");
        assertThat(init.exit()).as(init.output()).isZero();
        assertThat(init.output()).contains("\"topology\":\"mesh\"");
        assertThat(Http.get(port, "/api/agents").json()).hasSize(4);
        assertThat(Http.get(port, "/api/swarm").json().path("topology").asString()).isEqualTo("mesh");

        // --swarm starts a separate swarm: the default one stays as it was.
        Result second = run(env, 60, "swarm", "init", "--topology", "adaptive", "--agents", "3", "--swarm", "cli-2");
        assertThat(second.exit()).as(second.output()).isZero();
        assertThat(second.output()).contains("\"swarmId\":\"cli-2\"");
        assertThat(Http.get(port, "/api/state?swarm=cli-2").json().path("agents")).hasSize(3);
        assertThat(Http.get(port, "/api/agents").json()).hasSize(4);
        Result badSwarm = run(env, 60, "swarm", "init", "--swarm", "a\"b");
        assertThat(badSwarm.exit()).isNotZero();
        assertThat(badSwarm.output()).contains("--swarm");

        Result emit = run(env, 60, "emit", "agent:status", "{\"agentId\":\"cli-1\",\"status\":\"busy\"}");
        assertThat(emit.exit()).as(emit.output()).isZero();
        assertThat(emit.output()).contains("\"accepted\":1");
        Http.Response agent = Http.get(port, "/api/agents/cli-1");
        assertThat(agent.status()).isEqualTo(200);
        assertThat(agent.json().path("status").asString()).isEqualTo("busy");

        Result refused = run(env, 60, "emit", "agent:status", "{\"status\":\"busy\"}");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.output()).contains("HTTP 400", "agentId");

        Result stop = run(env, 60, "stop");
        assertThat(stop.exit()).as(stop.output()).isZero();
        assertThat(stop.output()).contains("stopped");
        assertThat(running(pid)).isFalse();
        assertThat(dir.resolve("swarmcast.pid")).doesNotExist();
        assertThat(dir.resolve("swarmcast.pid.port")).doesNotExist();
        assertThatThrownBy(() -> Http.get(port, "/actuator/health/readiness")).isInstanceOf(IllegalStateException.class);

        Result after = run(env, 60, "status", "--port", String.valueOf(port));
        assertThat(after.exit()).isEqualTo(3);
        assertThat(after.output()).contains("not running");
        Result stopAgain = run(env, 60, "stop");
        assertThat(stopAgain.exit()).isZero();
        assertThat(stopAgain.output()).contains("not running");
    }

    @Test
    void passesItsOptionsAndEveryOtherSettingToTheJvm() throws Exception {
        Map<String, String> env = withStandInJava("printf '%s\\n' \"$@\"");
        env.put("JAVA_OPTS", "-Xmx64m -Dswarmcast.test=yes");

        Result start = run(env, 60, "start", "--port", "4100", "--host", "0.0.0.0", "--demo",
                "--swarmcast.demo.seed=7");

        assertThat(start.exit()).as(start.output()).isZero();
        assertThat(start.output().lines().toList()).containsExactly("-XX:+ExitOnOutOfMemoryError", "-Xmx64m", "-Dswarmcast.test=yes", "-jar",
                dir.resolve("fake.jar").toString(), "--port=4100", "--host=0.0.0.0", "--demo", "--swarmcast.demo.seed=7");
    }

    @Test
    void theScriptsOwnVariablesDoNotReachTheServer() throws Exception {
        // SWARMCAST_LOG would bind to swarmcast.log (the event log settings) and stop the start.
        Map<String, String> env = withStandInJava("env | grep '^SWARMCAST_' | sort; exit 0");
        env.put("SWARMCAST_PORT", "4184");
        env.put("SWARMCAST_STOP_TIMEOUT", "5");

        Result foreground = run(env, 60, "start");
        Result background = run(env, 60, "start", "--background");

        assertThat(foreground.output().lines().toList()).containsExactly("SWARMCAST_PORT=4184");
        assertThat(dir.resolve("swarmcast.log")).content().contains("SWARMCAST_PORT=4184")
                .doesNotContain("SWARMCAST_LOG", "SWARMCAST_PID_FILE", "SWARMCAST_JAR", "SWARMCAST_START_TIMEOUT",
                        "SWARMCAST_STOP_TIMEOUT");
        assertThat(background.output()).contains("exited while starting");
    }

    @Test
    void reportsAServerThatDiesWhileStartingWithTheEndOfItsLog() throws Exception {
        Map<String, String> env = withStandInJava("echo 'APPLICATION FAILED TO START: port in use'; exit 1");

        Result start = run(env, 60, "start", "--background", "--port", String.valueOf(FreePorts.one()));

        assertThat(start.exit()).isEqualTo(1);
        assertThat(start.output()).contains("exited while starting", "APPLICATION FAILED TO START: port in use");
        assertThat(dir.resolve("swarmcast.pid")).doesNotExist();
    }

    @Test
    void statusSaysSoWhenAnotherServerAnswers() throws Exception {
        HttpServer other = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        other.createContext("/", exchange -> {
            byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        other.start();
        try {
            Result status = run(env(), 60, "status", "--port", String.valueOf(other.getAddress().getPort()));
            assertThat(status.exit()).as(status.output()).isEqualTo(4);
            assertThat(status.output()).contains("not Swarmcast");
        } finally {
            other.stop(0);
        }
    }

    @Test
    void aSecondStartOverALiveServerSaysHowToRunOneBesideIt() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "120").start();
        try {
            Files.writeString(dir.resolve("swarmcast.pid"), sleeper.pid() + "\n");
            Map<String, String> env = withStandInJava("exit 0");

            Result start = run(env, 60, "start", "--background", "--port", "4180");

            assertThat(start.exit()).isEqualTo(1);
            assertThat(start.output()).contains("already runs as PID " + sleeper.pid(),
                    "SWARMCAST_PID_FILE=" + dir.resolve("swarmcast.pid") + " " + SCRIPT + " stop",
                    "SWARMCAST_PID_FILE=/tmp/swarmcast-2.pid");
        } finally {
            sleeper.destroy();
            Files.deleteIfExists(dir.resolve("swarmcast.pid"));
        }
    }

    @Test
    void saysHowToBuildTheJarWhenItIsMissing() throws Exception {
        Map<String, String> env = env();
        env.put("SWARMCAST_JAR", dir.resolve("missing.jar").toString());

        Result start = run(env, 60, "start");

        assertThat(start.exit()).isEqualTo(1);
        assertThat(start.output()).contains("./mvnw package");
    }

    @Test
    void refusesUnknownCommandsAndOptions() throws Exception {
        assertThat(run(env(), 60, "launch").exit()).isEqualTo(2);
        assertThat(run(env(), 60, "start", "--bogus").exit()).isEqualTo(2);
        assertThat(run(env(), 60, "swarm", "init", "--topology", "ring").output()).contains("hierarchical, mesh or adaptive");
        Result help = run(env(), 60, "help");
        assertThat(help.exit()).isZero();
        assertThat(help.output()).contains("start", "stop", "status", "emit", "swarm init");
    }

    /** The environment of a run: files in the temporary directory, nothing inherited that names a port. */
    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("SWARMCAST_PID_FILE", dir.resolve("swarmcast.pid").toString());
        env.put("SWARMCAST_LOG", dir.resolve("swarmcast.log").toString());
        // Generous: the build machine may be busy with other tests.
        env.put("SWARMCAST_START_TIMEOUT", "240");
        env.put("JAVA_OPTS", "-XX:TieredStopAtLevel=1 -Xmx384m");
        return env;
    }

    /** An environment whose {@code java} is a shell script with the given body, and a jar that exists. */
    private Map<String, String> withStandInJava(String body) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("jdk/bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("fake.jar"), "");
        Map<String, String> env = env();
        env.put("JAVA_HOME", dir.resolve("jdk").toString());
        env.put("SWARMCAST_JAR", dir.resolve("fake.jar").toString());
        env.remove("JAVA_OPTS");
        return env;
    }

    private Result run(Map<String, String> env, long timeoutSeconds, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(SCRIPT.toString());
        command.addAll(List.of(args));
        Path output = Files.createTempFile(dir, "out", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().remove("SWARMCAST_PORT");
        builder.environment().remove("SWARMCAST_HOST");
        builder.environment().remove("JAVA_OPTS");
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("bin/swarmcast " + String.join(" ", args) + " did not finish within "
                    + timeoutSeconds + " s: " + Files.readString(output, StandardCharsets.UTF_8));
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    /**
     * Whether the process runs. An exited process that nobody reaped (a zombie, under an init that does not
     * reap orphans) counts as gone.
     */
    private static boolean running(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (Files.exists(Path.of("/proc/self/stat"))) {
            try {
                String line = Files.readString(stat);
                char state = line.charAt(line.lastIndexOf(')') + 2);
                return state != 'Z' && state != 'X';
            } catch (IOException gone) {
                return false;
            }
        }
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
