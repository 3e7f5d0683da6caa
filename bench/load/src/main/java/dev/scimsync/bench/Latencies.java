package dev.scimsync.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies of one operation kind in microseconds (HdrHistogram, 3 significant digits, up to 10 minutes),
 * and its answers counted by HTTP status.
 */
final class Latencies {

    private final String name;
    private final Recorder recorder = new Recorder(600_000_000L, 3);
    private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    private Histogram total;

    Latencies(String name) {
        this.name = name;
    }

    void record(long micros, int status) {
        recorder.recordValue(Math.max(1, Math.min(micros, 600_000_000L)));
        statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
    }

    /** Everything recorded so far (the recorder is drained into one histogram). */
    synchronized Histogram histogram() {
        Histogram interval = recorder.getIntervalHistogram();
        if (total == null) {
            total = interval.copy();
        } else {
            total.add(interval);
        }
        return total;
    }

    long count(int status) {
        AtomicLong count = statuses.get(status);
        return count == null ? 0 : count.get();
    }

    /** {@code name | count | p50 | p95 | p99 | max | statuses}, milliseconds with one decimal. */
    String row() {
        Histogram h = histogram();
        return String.format("| %s | %d | %.1f | %.1f | %.1f | %.1f | %s |", name, h.getTotalCount(),
                h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(95) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0, statusSummary());
    }

    double p99Millis() {
        return histogram().getValueAtPercentile(99) / 1000.0;
    }

    String statusSummary() {
        Map<Integer, Long> sorted = new TreeMap<>();
        statuses.forEach((status, count) -> sorted.put(status, count.get()));
        StringBuilder summary = new StringBuilder();
        sorted.forEach((status, count) -> summary.append(summary.length() == 0 ? "" : ", ")
                .append(status == 0 ? "failed" : status).append(": ").append(count));
        return summary.toString();
    }

    static String header() {
        return "| operation | count | p50 ms | p95 ms | p99 ms | max ms | answers |\n|---|---|---|---|---|---|---|";
    }
}
