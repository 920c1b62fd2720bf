package io.swarmcast.launch;

import io.swarmcast.SwarmcastProperties;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Looks at the raw command line before Spring starts, so a mistyped option ends the program with one line and
 * exit status 2 instead of a silent start on the default port or a Spring stack trace. {@code --help} and
 * {@code --version} are answered here too, without starting the server.
 *
 * <p>What passes: the short options {@code --port=N}, {@code --host=H} and {@code --demo}, and any
 * {@code --name=value} whose name starts with {@code swarmcast.}, {@code server.}, {@code spring.},
 * {@code management.}, {@code logging.} or {@code info.} (plus Spring Boot's {@code --debug} and
 * {@code --trace}). The names under {@code swarmcast.} are checked later, against the settings themselves
 * (an unknown one fails the start naming the nearest). Everything else is refused with the nearest valid
 * option, if one is close.
 */
public final class CommandLineCheck {

    /** Exit status of a command-line mistake, as for shell tools. */
    public static final int USAGE_ERROR = 2;

    static final List<String> SHORT_OPTIONS = List.of("port", "host", "demo", "help", "version");
    static final List<String> PREFIXES = List.of("swarmcast", "server", "spring", "management", "logging", "info");
    private static final Set<String> SPRING_FLAGS = Set.of("debug", "trace");

    private CommandLineCheck() {
    }

    /** What {@code main} does: run the server, or print something and exit with a status. */
    public record Verdict(boolean run, int exitStatus, String output, boolean toStandardError) {

        static Verdict start() {
            return new Verdict(true, 0, "", false);
        }

        static Verdict answer(String text) {
            return new Verdict(false, 0, text, false);
        }

        static Verdict refuse(String message) {
            return new Verdict(false, USAGE_ERROR, "swarmcast: " + message
                    + " (java -jar swarmcast.jar --help lists the options)", true);
        }
    }

    public static Verdict check(String[] args, String version) {
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                return Verdict.answer(Usage.text(version));
            }
            if (arg.equals("--version")) {
                return Verdict.answer("Swarmcast " + version);
            }
        }
        for (int i = 0; i < args.length; i++) {
            Optional<String> problem = problem(args, i);
            if (problem.isPresent()) {
                return Verdict.refuse(problem.get());
            }
        }
        return Verdict.start();
    }

    private static Optional<String> problem(String[] args, int index) {
        String arg = args[index];
        if (!arg.startsWith("--")) {
            return Optional.of(notAnOption(args, index));
        }
        int equals = arg.indexOf('=');
        String name = arg.substring(2, equals < 0 ? arg.length() : equals);
        String value = equals < 0 ? null : arg.substring(equals + 1);
        switch (name) {
            case "port":
                return value == null ? Optional.of(missingValue(args, index, "4117")) : portProblem(value);
            case "host":
                return value == null || value.isBlank()
                        ? Optional.of(missingValue(args, index, "0.0.0.0")) : Optional.empty();
            case "demo":
                return value == null || value.isEmpty() || value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")
                        ? Optional.empty() : Optional.of("--demo takes no value (or true/false), not '" + value + "'");
            default:
                break;
        }
        if (SPRING_FLAGS.contains(name)) {
            return Optional.empty();
        }
        int dot = name.indexOf('.');
        if (dot > 0 && PREFIXES.contains(name.substring(0, dot))) {
            return Optional.empty();
        }
        return Optional.of("unknown option '" + arg + "'" + suggestion(name));
    }

    /** {@code --port 4117} (a space, where Spring needs {@code =}) or a bare {@code --port}. */
    private static String missingValue(String[] args, int index, String example) {
        String option = args[index];
        boolean valueFollows = index + 1 < args.length && !args[index + 1].startsWith("-");
        String value = valueFollows ? args[index + 1] : example;
        return option + " needs its value after '=': " + option + "=" + value;
    }

    private static Optional<String> portProblem(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return Optional.empty();
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        return Optional.of("--port must be a port number from 0 to 65535, not '" + value + "'");
    }

    /** A word without {@code --}: a value given with a space, or a single-dash option. */
    private static String notAnOption(String[] args, int index) {
        String arg = args[index];
        if (index > 0 && args[index - 1].startsWith("--") && !args[index - 1].contains("=")) {
            String previous = args[index - 1];
            return "unexpected argument '" + arg + "' after " + previous + ": write " + previous + "=" + arg;
        }
        if (arg.startsWith("-D")) {
            return "'" + arg + "' is a JVM option: put it before -jar (java " + arg + " -jar swarmcast.jar)";
        }
        if (arg.startsWith("-")) {
            String name = arg.replaceFirst("^-+", "");
            int equals = name.indexOf('=');
            return "unknown option '" + arg + "'" + suggestion(equals < 0 ? name : name.substring(0, equals));
        }
        return "unexpected argument '" + arg + "': options take the form --name=value, e.g. --port=4117";
    }

    /** "; did you mean --port?" for the nearest known option, or nothing when none is close. */
    static String suggestion(String name) {
        return nearest(name).map(found -> "; did you mean --" + found + "?").orElse("");
    }

    static Optional<String> nearest(String typed) {
        String name = typed.toLowerCase(Locale.ROOT);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        int dot = name.indexOf('.');
        if (dot > 0) {
            // A misspelt prefix: --sever.port, --swarmcat.port.
            String rest = name.substring(dot);
            return closest(name.substring(0, dot), PREFIXES).map(prefix -> prefix + rest);
        }
        for (String option : SHORT_OPTIONS) {
            if (option.startsWith(name)) {
                return Optional.of(option); // -p, --ver
            }
        }
        List<String> candidates = new ArrayList<>(SHORT_OPTIONS);
        List<String> settings = swarmcastSettings();
        candidates.addAll(settings);
        return closest(name, candidates).map(found -> settings.contains(found) && !SHORT_OPTIONS.contains(found)
                ? "swarmcast." + found : found);
    }

    private static Optional<String> closest(String name, List<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(name, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        // Close enough to be a slip: a couple of edits, more for long names.
        int allowed = Math.max(2, name.length() / 3);
        return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /** The top-level settings ({@code compat-port}, {@code history-size}, ...), for {@code --compat-port=0}. */
    private static List<String> swarmcastSettings() {
        List<String> names = new ArrayList<>();
        for (RecordComponent component : SwarmcastProperties.class.getRecordComponents()) {
            names.add(component.getName().replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT));
        }
        return names;
    }

    /** Edit distance where swapping two neighbours counts as one edit (optimal string alignment). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
