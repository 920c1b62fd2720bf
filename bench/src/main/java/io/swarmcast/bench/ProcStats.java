package io.swarmcast.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** CPU time and memory of processes, read from /proc (Linux). */
final class ProcStats {

    private static final long CLK_TCK = clockTicks();

    private ProcStats() {
    }

    /** utime + stime of a process in microseconds (/proc/P/stat fields 14 and 15, in CLK_TCK ticks), or -1. */
    static long cpuMicros(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * 1_000_000L / CLK_TCK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** This JVM's CPU time in microseconds. */
    static long selfCpuMicros() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime() / 1_000;
        }
        return cpuMicros(ProcessHandle.current().pid());
    }

    /** Resident set size in KiB (VmRSS of /proc/P/status), or -1. */
    static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** The whole machine's CPU: {total, idle} jiffies from the first line of /proc/stat. */
    static long[] machineJiffies() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
            String[] f = lines.get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[]{total, idle};
        } catch (IOException | RuntimeException e) {
            return new long[]{0, 0};
        }
    }

    /** The soft limit on open files of a process (/proc/P/limits), or -1. */
    static long openFilesLimit(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return "unlimited".equals(soft) ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** CLK_TCK from {@code getconf CLK_TCK}; 100 (the Linux default) if that cannot run. */
    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return Long.parseLong(out);
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    static long clkTck() {
        return CLK_TCK;
    }

    /** CPU used by the server, the load generator and everything else over an interval. */
    static final class Sample {
        final long nanos = System.nanoTime();
        final long server;
        final long self = selfCpuMicros();
        final long[] machine = machineJiffies();

        Sample(long serverPid) {
            this.server = cpuMicros(serverPid);
        }

        Usage until(Sample end) {
            double wall = (end.nanos - nanos) / 1e9;
            double serverCores = server < 0 || end.server < 0 ? Double.NaN : (end.server - server) / 1e6 / wall;
            double selfCores = (end.self - self) / 1e6 / wall;
            long total = end.machine[0] - machine[0];
            double busyCores = total <= 0 ? Double.NaN
                    : (double) (total - (end.machine[1] - machine[1])) / total * cores();
            return new Usage(wall, server < 0 || end.server < 0 ? -1 : end.server - server, serverCores, selfCores, busyCores);
        }
    }

    /**
     * @param serverCpuMicros CPU the server used, or -1 when its pid is unknown
     * @param busyCores       cores busy on the whole machine (all processes)
     */
    record Usage(double wallSeconds, long serverCpuMicros, double serverCores, double benchCores, double busyCores) {
        double otherCores() {
            double other = busyCores - benchCores - (Double.isNaN(serverCores) ? 0 : serverCores);
            return Math.max(0, other);
        }

        boolean machineFull() {
            return busyCores >= 0.9 * cores();
        }

        /** Which side ran out of CPU, as far as the numbers tell. */
        String verdict(boolean rateMet) {
            if (machineFull()) {
                String top = !Double.isNaN(serverCores) && serverCores >= benchCores ? "server" : "bench";
                if (otherCores() > Math.max(benchCores, Double.isNaN(serverCores) ? 0 : serverCores)) {
                    top = "other processes";
                }
                return "CPU full; most: " + top;
            }
            return rateMet ? "none (rate met)" : "not CPU (round trips / single thread)";
        }

        String coresText() {
            return String.format("%s / %.2f / %.2f", Double.isNaN(serverCores) ? "n/a" : String.format("%.2f", serverCores),
                    benchCores, otherCores());
        }
    }
}
