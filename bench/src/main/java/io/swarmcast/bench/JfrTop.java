package io.swarmcast.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Summarises a JFR recording's {@code jdk.ExecutionSample} events: the hottest methods by top frame (where
 * the CPU is spent: what {@code jfr print --events jdk.ExecutionSample} aggregated by first frame gives), by
 * presence anywhere in the stack (what the time is spent under), and by thread.
 */
final class JfrTop {

    private JfrTop() {
    }

    static void run(Path file, int top) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        Map<String, Integer> nativeTop = new HashMap<>();
        int samples = 0;
        int nativeSamples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            String type = event.getEventType().getName();
            if ("jdk.NativeMethodSample".equals(type) && event.getStackTrace() != null
                    && !event.getStackTrace().getFrames().isEmpty()) {
                nativeSamples++;
                nativeTop.merge(name(event.getStackTrace().getFrames().get(0)), 1, Integer::sum);
                continue;
            }
            if (!"jdk.ExecutionSample".equals(type)) {
                continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = stack.getFrames();
            self.merge(name(frames.get(0)), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame frame : frames) {
                String name = name(frame);
                if (seen.add(name)) {
                    total.merge(name, 1, Integer::sum);
                }
            }
            RecordedThread thread = event.getThread("sampledThread");
            String threadName = thread == null || thread.getJavaName() == null ? "?" : thread.getJavaName();
            threads.merge(threadName.replaceAll("-?\\d+$", "-N"), 1, Integer::sum);
        }
        System.out.println();
        System.out.println("JFR " + file.getFileName() + ": " + samples + " execution samples");
        print("Top frames (self)", self, samples, top);
        print("Anywhere in the stack (total)", total, samples, top);
        Map<String, Integer> own = new HashMap<>();
        total.forEach((name, count) -> {
            if (name.startsWith("io.swarmcast.") && !name.contains("$$Lambda") && !name.contains("lambda$")) {
                own.put(name, count);
            }
        });
        print("Swarmcast's own methods, anywhere in the stack", own, samples, 20);
        print("Threads", threads, samples, 10);
        System.out.println();
        System.out.println("jdk.NativeMethodSample: " + nativeSamples + " samples of threads in native code "
                + "(running a system call or blocked in one; not all of it is CPU)");
        print("Native top frames", nativeTop, nativeSamples, 8);
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static void print(String title, Map<String, Integer> counts, int samples, int top) {
        System.out.println();
        System.out.println("| " + title + " | samples | % |");
        System.out.println("| --- | --- | --- |");
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> System.out.printf("| `%s` | %d | %.1f |%n", e.getKey(), e.getValue(),
                        100.0 * e.getValue() / Math.max(1, samples)));
    }
}
