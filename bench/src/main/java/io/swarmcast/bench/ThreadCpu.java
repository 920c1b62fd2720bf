package io.swarmcast.bench;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPU time per thread of the server JVM, from {@code jcmd P Thread.print} (which gives each thread's
 * {@code cpu=}, with its full name, unlike /proc's 15-character names), grouped by name with numbers folded,
 * so a run can say whether request threads, the poller, the JIT compiler or the GC took the CPU.
 */
final class ThreadCpu {

    private static final Pattern THREAD = Pattern.compile("^\"([^\"]+)\".*?cpu=([0-9.]+)ms", Pattern.MULTILINE);

    private ThreadCpu() {
    }

    /** Thread name group to CPU milliseconds; empty when jcmd cannot attach. */
    static Map<String, Double> snapshot(long pid) {
        Map<String, Double> groups = new HashMap<>();
        if (pid <= 0) {
            return groups;
        }
        try {
            Process p = new ProcessBuilder("jcmd", Long.toString(pid), "Thread.print").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            Matcher m = THREAD.matcher(out);
            while (m.find()) {
                groups.merge(group(m.group(1)), Double.parseDouble(m.group(2)), Double::sum);
            }
        } catch (IOException e) {
            return groups;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return groups;
    }

    static String group(String name) {
        return name.replaceAll("#\\d+", "#N").replaceAll("-\\d+$", "-N").replaceAll("\\d+$", "N")
                .replaceAll("127\\.0\\.0\\.1-\\d+", "127.0.0.1-PORT");
    }

    /** Prints the groups that used the most CPU between two snapshots (threads that ended in between are missed). */
    static void print(Map<String, Double> before, Map<String, Double> after, double wallSeconds, int top) {
        Map<String, Double> delta = new HashMap<>();
        double total = 0;
        for (Map.Entry<String, Double> e : after.entrySet()) {
            double d = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
            if (d > 0) {
                delta.put(e.getKey(), d);
                total += d;
            }
        }
        System.out.println();
        System.out.println("| server thread (group) | CPU s | cores | % of server CPU |");
        System.out.println("| --- | --- | --- | --- |");
        double all = total;
        delta.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(top)
                .forEach(e -> System.out.printf("| `%s` | %.2f | %.2f | %.1f |%n", e.getKey(), e.getValue() / 1000,
                        e.getValue() / 1000 / wallSeconds, 100 * e.getValue() / Math.max(1e-9, all)));
        System.out.flush();
    }
}
