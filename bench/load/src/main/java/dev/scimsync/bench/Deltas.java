package dev.scimsync.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** Counter snapshots taken before and after a phase, and what moved in between. */
final class Deltas {

    private Deltas() {
    }

    /**
     * Each key's increase from {@code before} to {@code after}. A key that is new counts from 0; a counter
     * that went down was reset (its process restarted), so all of its current value is new. Keys gone from
     * {@code after} are left out; keys that did not move are kept with 0.
     */
    static <K> Map<K, Double> of(Map<K, Double> before, Map<K, Double> after) {
        Map<K, Double> delta = new LinkedHashMap<>();
        after.forEach((key, value) -> {
            double was = before.getOrDefault(key, 0.0);
            delta.put(key, value >= was ? value - was : value);
        });
        return delta;
    }

    static <K> double total(Map<K, Double> delta) {
        return delta.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** {@code count / creates} with two decimals, or "n/a" when nothing was created or it was not measured. */
    static String perCreate(Double count, long creates) {
        if (count == null || creates <= 0) {
            return "n/a";
        }
        return String.format("%.2f", count / creates);
    }
}
