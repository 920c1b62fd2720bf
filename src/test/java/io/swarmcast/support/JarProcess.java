package io.swarmcast.support;

import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The packaged {@code target/swarmcast.jar} running as a child process, as operators start it, with its
 * standard output and error in one file under {@code target/}. Only the environment the test gives reaches it:
 * a {@code SWARMCAST_*} or {@code SERVER_*} variable of the machine running the build must not leak in.
 */
public final class JarProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target", "swarmcast.jar");

    private final Process process;
    private final Path logFile;

    private JarProcess(Process process, Path logFile) {
        this.process = process;
        this.logFile = logFile;
    }

    /** {@code java -jar target/swarmcast.jar args...}, with this JVM's java. */
    public static JarProcess start(Path logDirectory, String name, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(java().toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        return run(logDirectory, name, env, command);
    }

    /** The java of the JVM running the tests. */
    public static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** Any command that ends up running the jar (a shell script, the image's entrypoint). */
    public static JarProcess run(Path logDirectory, String name, Map<String, String> env, List<String> command) throws IOException {
        Files.createDirectories(logDirectory);
        Path log = logDirectory.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("SWARMCAST_") || key.startsWith("SERVER_")
                || key.startsWith("SPRING_") || key.startsWith("MANAGEMENT_"));
        builder.environment().putAll(env);
        return new JarProcess(builder.start(), log);
    }

    public Process process() {
        return process;
    }

    /** Waits until readiness says UP on the port; fails with the output if the process exits first. */
    public void awaitReady(int port) {
        awaitReady(port, Duration.ofSeconds(120));
    }

    /** As {@link #awaitReady(int)}, for a test that starts several jars at once (slower on a busy machine). */
    public void awaitReady(int port, Duration patience) {
        try {
            await().atMost(patience).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .failFast("the jar exited", () -> !process.isAlive())
                    .until(() -> {
                        Http.Response readiness = Http.get(port, "/actuator/health/readiness");
                        return readiness.status() == 200 && "UP".equals(readiness.json().path("status").asString());
                    });
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new AssertionError("not ready on port " + port + "; output:\n" + log(), e);
        }
    }

    /** Waits for the process to exit on its own and returns its exit status. */
    public int awaitExit() throws InterruptedException {
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            throw new AssertionError("pid " + process.pid() + " still runs after 120 s; output:\n" + log());
        }
        return process.exitValue();
    }

    public String log() {
        try {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** Asks the process to stop (SIGTERM to its own PID) and fails unless it exits within 60 s. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("pid " + process.pid() + " did not stop within 60 s; output:\n" + log());
        }
    }

    /** Asks the process to stop (SIGTERM to its own PID) and waits for it. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
