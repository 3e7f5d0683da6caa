package dev.scimsync.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Durable creates per fixed window of a phase, by when each 201 arrived: how fast a fresh stack gets to its warm
 * rate (issue 17: within 60 s), which the phase's one average hides.
 */
final class CreateRate {

    private final long windowNanos;
    private final long startNanos;
    private final List<Long> counts = new ArrayList<>();
    private long lastNanos;

    /** Counts from {@code startNanos} ({@link System#nanoTime()}) in windows of {@code windowSeconds}. */
    CreateRate(int windowSeconds, long startNanos) {
        this.windowNanos = windowSeconds * 1_000_000_000L;
        this.startNanos = startNanos;
    }

    /** One create answered 201 at {@code nanos} ({@link System#nanoTime()}). */
    synchronized void created(long nanos) {
        long since = Math.max(0, nanos - startNanos);
        int index = (int) (since / windowNanos);
        while (counts.size() <= index) {
            counts.add(0L);
        }
        counts.set(index, counts.get(index) + 1);
        lastNanos = Math.max(lastNanos, since);
    }

    /** Creates per second of each window; the last one over the part of it the phase lasted. */
    synchronized double[] perSecond() {
        double[] rates = new double[counts.size()];
        for (int i = 0; i < rates.length; i++) {
            long length = i < rates.length - 1 ? windowNanos : lastWindowNanos();
            rates[i] = counts.get(i) / (length / 1e9);
        }
        return rates;
    }

    /**
     * Creates per second over a phase's first windows, and over its fastest as many consecutive full windows
     * ({@code NaN} when it has fewer full windows than that).
     */
    record WarmUp(double first, double fastest) {
    }

    /** The first {@code windows} windows against the fastest {@code windows} consecutive full ones. */
    synchronized WarmUp warmUp(int windows) {
        int full = Math.max(0, counts.size() - 1);
        double seconds = windows * windowNanos / 1e9;
        long first = 0;
        for (int i = 0; i < Math.min(windows, counts.size()); i++) {
            first += counts.get(i);
        }
        double firstSeconds = counts.size() > windows ? seconds : Math.max(1, lastNanos) / 1e9;
        double fastest = Double.NaN;
        for (int from = 0; from + windows <= full; from++) {
            long sum = 0;
            for (int i = from; i < from + windows; i++) {
                sum += counts.get(i);
            }
            fastest = Double.isNaN(fastest) ? sum / seconds : Math.max(fastest, sum / seconds);
        }
        return new WarmUp(first / firstSeconds, fastest);
    }

    /** "120, 310, 455 (the last over 12.0 s)": each window's creates/s. */
    synchronized String row() {
        double[] rates = perSecond();
        List<String> parts = new ArrayList<>();
        for (double rate : rates) {
            parts.add(String.format("%.0f", rate));
        }
        return rates.length == 0 ? "none" : String.join(", ", parts)
                + String.format(" (the last over %.1f s)", lastWindowNanos() / 1e9);
    }

    /** How much of the last window the phase lasted: up to its last create. */
    private long lastWindowNanos() {
        return Math.max(1, lastNanos - (counts.size() - 1) * windowNanos);
    }
}
