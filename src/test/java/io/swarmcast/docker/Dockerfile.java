package io.swarmcast.docker;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The project's Dockerfile, read as instructions (continuation lines joined, comments dropped). */
record Dockerfile(List<String> instructions) {

    static final Path PATH = Path.of("Dockerfile");

    static Dockerfile read() throws IOException {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(PATH)) {
            String trimmed = line.strip();
            if (current.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            instructions.add(current.toString());
            current.setLength(0);
        }
        return new Dockerfile(instructions);
    }

    List<String> all(String keyword) {
        return instructions.stream().filter(i -> i.regionMatches(true, 0, keyword + " ", 0, keyword.length() + 1))
                .map(i -> i.substring(keyword.length() + 1).strip()).toList();
    }

    /** ENV NAME=value and ENV NAME="value" of the final stage. */
    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        Pattern assignment = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"([^\"]*)\"|(\\S+))");
        for (String value : all("ENV")) {
            Matcher matcher = assignment.matcher(value);
            while (matcher.find()) {
                env.put(matcher.group(1), matcher.group(3) != null ? matcher.group(3) : matcher.group(4));
            }
        }
        return env;
    }

    /** The exec-form ENTRYPOINT as its argument list. */
    List<String> entrypoint() {
        List<String> entrypoints = all("ENTRYPOINT");
        JsonNode array = JsonMapper.builder().build().readTree(entrypoints.get(entrypoints.size() - 1));
        List<String> args = new ArrayList<>();
        array.forEach(arg -> args.add(arg.asString()));
        return args;
    }

    /** The shell command of {@code HEALTHCHECK ... CMD <command>}. */
    String healthcheckCommand() {
        String healthcheck = all("HEALTHCHECK").get(0);
        return healthcheck.substring(healthcheck.indexOf("CMD ") + 4).strip();
    }
}
