package dev.scimsync.bench;

import java.util.ArrayList;
import java.util.List;

/** Latencies over a whole phase and per fixed window of it (by when each request was due), e.g. p99 per 10 s. */
final class WindowedLatencies implements Loops.Sink {

    private final String name;
    private final long windowNanos;
    private final Latencies all;
    private final List<Latencies> windows = new ArrayList<>();

    WindowedLatencies(String name, long windowNanos) {
        this.name = name;
        this.windowNanos = windowNanos;
        this.all = new Latencies(name);
    }

    @Override
    public void record(long dueSinceStartNanos, long micros, int status) {
        all.record(micros, status);
        window(dueSinceStartNanos).record(micros, status);
    }

    /** The window a request due {@code dueSinceStartNanos} after the start belongs to (created on first use). */
    synchronized Latencies window(long dueSinceStartNanos) {
        int index = (int) (Math.max(0, dueSinceStartNanos) / windowNanos);
        while (windows.size() <= index) {
            long from = windows.size() * windowNanos / 1_000_000_000L;
            long to = (windows.size() + 1) * windowNanos / 1_000_000_000L;
            windows.add(new Latencies(name + ", " + from + "-" + to + " s"));
        }
        return windows.get(index);
    }

    Latencies all() {
        return all;
    }

    synchronized List<Latencies> windows() {
        return List.copyOf(windows);
    }

    /** The whole phase's row, then each window's, one per line. */
    String rows() {
        StringBuilder rows = new StringBuilder(all.row()).append('\n');
        windows().forEach(window -> rows.append(window.row()).append('\n'));
        return rows.toString();
    }

    /** "worst window's p99 / whole phase's p99 ms (answers)". */
    String p99Summary() {
        return String.format("%.1f / %.1f ms (%s)", worstWindowP99Millis(), all.p99Millis(), all.statusSummary());
    }

    /** The highest p99 of any window, in milliseconds (0 without requests). */
    double worstWindowP99Millis() {
        return windows().stream().filter(w -> w.histogram().getTotalCount() > 0).mapToDouble(Latencies::p99Millis)
                .max().orElse(0);
    }
}
