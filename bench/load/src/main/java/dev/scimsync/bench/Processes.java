package dev.scimsync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stack's processes (the four services, Kafka, PostgreSQL) found by their command lines, with their
 * resident memory and CPU time read from /proc: sampled every second during a phase, reported as peak RSS
 * and average CPU (100% = one core).
 */
final class Processes {

    private static final long CLOCK_TICKS = 100;  // USER_HZ on Linux
    private static final Map<String, String> MARKERS = new LinkedHashMap<>();

    static {
        MARKERS.put("scim-gateway", "scim-gateway/target/quarkus-app");
        MARKERS.put("membership-service", "membership-service/target/quarkus-app");
        MARKERS.put("group-sync-service", "group-sync-service/target/quarkus-app");
        MARKERS.put("audit-service", "audit-service/target/quarkus-app");
        MARKERS.put("kafka", "kafka.Kafka");
    }

    private final Map<String, List<Long>> pids = new LinkedHashMap<>();
    private final Map<String, Long> peakRssKb = new ConcurrentHashMap<>();
    private final Map<String, Long> ticksAtStart = new LinkedHashMap<>();
    private long startedAt;
    private volatile boolean sampling;
    private Thread sampler;

    Processes() {
        ProcessHandle.allProcesses().forEach(process -> {
            String command = process.info().commandLine().orElse("");
            MARKERS.forEach((name, marker) -> {
                if (command.contains(marker)) {
                    pids.computeIfAbsent(name, n -> new ArrayList<>()).add(process.pid());
                }
            });
            if (command.contains("/bin/postgres") || command.startsWith("postgres:")) {
                pids.computeIfAbsent("postgresql", n -> new ArrayList<>()).add(process.pid());
            }
        });
    }

    void start() {
        peakRssKb.clear();
        ticksAtStart.clear();
        pids.forEach((name, list) -> ticksAtStart.put(name, list.stream().mapToLong(Processes::cpuTicks).sum()));
        startedAt = System.nanoTime();
        sampling = true;
        sampler = new Thread(() -> {
            while (sampling) {
                pids.forEach((name, list) -> peakRssKb.merge(name, list.stream().mapToLong(Processes::rssKb).sum(),
                        Math::max));
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** {@code | process | peak RSS MB | CPU % |} rows for the phase since {@link #start()}. */
    String stop() throws InterruptedException {
        sampling = false;
        sampler.interrupt();
        sampler.join();
        double seconds = (System.nanoTime() - startedAt) / 1e9;
        StringBuilder table = new StringBuilder("| process | peak RSS MB | CPU % (100 = one core) |\n|---|---|---|\n");
        pids.forEach((name, list) -> {
            long ticks = list.stream().mapToLong(Processes::cpuTicks).sum() - ticksAtStart.getOrDefault(name, 0L);
            table.append(String.format("| %s | %.0f | %.0f |%n", name, peakRssKb.getOrDefault(name, 0L) / 1024.0,
                    100.0 * ticks / CLOCK_TICKS / seconds));
        });
        return table.toString();
    }

    private static long rssKb(long pid) {
        return read(Path.of("/proc", Long.toString(pid), "status")).flatMap(status -> status.lines()
                .filter(line -> line.startsWith("VmRSS:")).findFirst()
                .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))).orElse(0L);
    }

    private static long cpuTicks(long pid) {
        return read(Path.of("/proc", Long.toString(pid), "stat")).map(stat -> {
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);  // utime + stime
        }).orElse(0L);
    }

    private static Optional<String> read(Path path) {
        try {
            return Optional.of(Files.readString(path));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
