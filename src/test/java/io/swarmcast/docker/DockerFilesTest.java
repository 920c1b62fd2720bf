package io.swarmcast.docker;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Docker files, checked without a Docker engine: docker-compose.yml against the Compose Specification's
 * schema (vendored in src/test/resources/compose-spec), the choices operators rely on (loopback ports, pinned
 * images, a numeric non-root user, a memory limit, the Claude Flow dashboard behind a profile), and the image's
 * shell commands, parsed by sh and run with a stand-in java.
 */
class DockerFilesTest {

    private static final Path COMPOSE = Path.of("docker-compose.yml");

    private static Schema composeSpec;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = DockerFilesTest.class.getResourceAsStream("/compose-spec/compose-spec.json")) {
            assertThat(in).as("src/test/resources/compose-spec/compose-spec.json").isNotNull();
            // The file names its dialect by an https address the validator does not know; it is draft 7.
            String schema = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("\"https://json-schema.org/draft-07/schema\"", "\"http://json-schema.org/draft-07/schema#\"");
            // Its $id is relative ("compose_spec.json"): give it a base to resolve against. Nothing is fetched,
            // the schema refers only to itself.
            composeSpec = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
                    .getSchema(SchemaLocation.of("https://compose-spec.io/schema/compose_spec.json"), schema, InputFormat.JSON);
        }
    }

    @Test
    void theComposeFileFollowsTheComposeSpecification() throws IOException {
        List<Error> errors = composeSpec.validate(Files.readString(COMPOSE), InputFormat.YAML);
        assertThat(errors).isEmpty();
    }

    @Test
    void theSchemaCatchesMistakes() {
        String misspelt = "services:\n  swarmcast:\n    image: swarmcast\n    helthcheck:\n      test: [\"CMD\", \"true\"]\n";
        assertThat(composeSpec.validate(misspelt, InputFormat.YAML)).extracting(Error::getMessage)
                .anyMatch(message -> message.contains("helthcheck"));
        String wrongShape = "services:\n  swarmcast:\n    image: swarmcast\n    ports: 3001\n";
        assertThat(composeSpec.validate(wrongShape, InputFormat.YAML)).isNotEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void composePublishesOnLoopbackLimitsMemoryAndKeepsTheDashboardBehindAProfile() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(COMPOSE));
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        Map<String, Object> swarmcast = (Map<String, Object>) services.get("swarmcast");

        List<String> ports = new ArrayList<>();
        // Every published port, of every service and profile (the scale profile's instances publish none: nginx does).
        services.values().stream().map(service -> (List<String>) ((Map<String, Object>) service).get("ports"))
                .filter(java.util.Objects::nonNull).forEach(ports::addAll);
        assertThat(ports).isNotEmpty().allSatisfy(port -> assertThat(port).startsWith("127.0.0.1:"));
        assertThat((List<String>) swarmcast.get("ports")).containsExactly("127.0.0.1:3001:3001", "127.0.0.1:3002:3002");

        // Either the image's port-aware healthcheck, or one that follows SWARMCAST_PORT too.
        Object healthcheck = swarmcast.get("healthcheck");
        if (healthcheck != null) {
            assertThat(healthcheck.toString()).contains("$${SWARMCAST_PORT:-3001}");
        }
        Map<String, Object> limits = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) swarmcast
                .get("deploy")).get("resources")).get("limits");
        assertThat(limits.get("memory")).as("a memory limit, from which the JVM sizes its heap").isNotNull();
        assertThat(swarmcast).doesNotContainKey("profiles");

        Map<String, Object> dashboard = (Map<String, Object>) services.get("claude-flow-dashboard");
        assertThat((List<String>) dashboard.get("profiles")).containsExactly("claude-flow");
        Map<String, Object> build = (Map<String, Object>) dashboard.get("build");
        assertThat(Path.of((String) build.get("context")).resolve("Dockerfile")).isRegularFile();
        String source = (String) ((Map<String, Object>) build.get("additional_contexts")).get("dashboard");
        assertThat(source).as("the upstream sources at a pinned commit")
                .matches("https://github\\.com/ruvnet/ruflo\\.git#[0-9a-f]{40}:v3/@claude-flow/dashboard");
        assertThat((List<String>) dashboard.get("ports")).containsExactly("127.0.0.1:5173:5173");
    }

    @Test
    void theImageIsPinnedBuildsWithoutTestsAndRunsAsANumericNonRootUser() throws IOException {
        Dockerfile dockerfile = Dockerfile.read();
        assertThat(dockerfile.all("FROM")).hasSize(2).allSatisfy(from ->
                assertThat(from).as("a release tag, not a moving one").matches("eclipse-temurin:17\\.0\\.\\d+_\\d+-j(dk|re)-\\w+( AS \\w+)?"));
        assertThat(dockerfile.all("RUN")).anyMatch(run -> run.contains("package -Dmaven.test.skip=true"));
        List<String> users = dockerfile.all("USER");
        assertThat(users).hasSize(1);
        assertThat(users.get(0)).matches("\\d+:\\d+").isNotEqualTo("0:0");
        assertThat(dockerfile.env()).containsEntry("SWARMCAST_HOST", "0.0.0.0");
        assertThat(dockerfile.env().get("JAVA_OPTS")).contains("-XX:+ExitOnOutOfMemoryError");
        assertThat(dockerfile.healthcheckCommand()).contains("${SWARMCAST_PORT:-3001}");

        List<String> dockerignore = Files.readAllLines(Path.of(".dockerignore")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        assertThat(dockerignore.get(0)).as("an allow-list: everything out, then what the build needs").isEqualTo("*");
        assertThat(dockerignore).contains("!.mvn/", "!mvnw", "!pom.xml", "!src/");
    }

    @Test
    void theEntrypointParsesAndHandsJavaOptsAndArgumentsToJava() throws Exception {
        Dockerfile dockerfile = Dockerfile.read();
        List<String> entrypoint = dockerfile.entrypoint();
        assertThat(entrypoint.subList(0, 2)).containsExactly("sh", "-c");
        String script = entrypoint.get(2);
        assertThat(run(Map.of(), "sh", "-n", "-c", script).exit()).isZero();
        assertThat(run(Map.of(), "sh", "-n", "-c", dockerfile.healthcheckCommand()).exit()).isZero();

        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> command = new ArrayList<>(entrypoint);
        command.addAll(List.of("--port=4183", "--swarmcast.history-size=5"));
        Run started = run(Map.of("PATH", bin + ":" + System.getenv("PATH"), "JAVA_OPTS", dockerfile.env().get("JAVA_OPTS")),
                command.toArray(String[]::new));

        assertThat(started.exit()).isZero();
        // The entrypoint names -XX:+ExitOnOutOfMemoryError itself, so it holds even when JAVA_OPTS is overridden.
        List<String> expected = new ArrayList<>(List.of("-XX:+ExitOnOutOfMemoryError"));
        expected.addAll(List.of(dockerfile.env().get("JAVA_OPTS").split(" ")));
        expected.addAll(List.of("-jar", "/app/swarmcast.jar", "--port=4183", "--swarmcast.history-size=5"));
        assertThat(started.output().lines().toList()).isEqualTo(expected);
    }

    @Test
    void shellcheckFindsNothingInTheScripts() throws Exception {
        assumeTrue(run(Map.of(), "sh", "-c", "command -v shellcheck").exit() == 0, "shellcheck is not installed");
        Dockerfile dockerfile = Dockerfile.read();
        // JAVA_OPTS holds several JVM options and is split into words on purpose (SC2086).
        Path entrypoint = dir.resolve("entrypoint.sh");
        Files.writeString(entrypoint, "#!/bin/sh\n# shellcheck disable=SC2086\n" + dockerfile.entrypoint().get(2) + "\n");
        Path healthcheck = dir.resolve("healthcheck.sh");
        Files.writeString(healthcheck, "#!/bin/sh\n" + dockerfile.healthcheckCommand() + "\n");

        Run checked = run(Map.of(), "shellcheck", "--shell=sh", entrypoint.toString(), healthcheck.toString(),
                Path.of("bin", "swarmcast").toString());

        assertThat(checked.exit()).as(checked.output()).isZero();
    }

    private record Run(int exit, String output) {
    }

    private Run run(Map<String, String> env, String... command) throws Exception {
        Path output = Files.createTempFile(dir, "out", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish");
        }
        return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }
}
