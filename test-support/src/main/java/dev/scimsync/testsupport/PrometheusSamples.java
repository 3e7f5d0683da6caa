package dev.scimsync.testsupport;

import java.util.Map;

/** Reads a service's {@code /q/metrics} text (Prometheus exposition format) in tests. */
public final class PrometheusSamples {

    private PrometheusSamples() {
    }

    /**
     * The sum of the samples of {@code name} whose labels include every one of {@code labels} (0 when there is
     * none yet: a counter appears with its first increment).
     */
    public static double sum(String metrics, String name, Map<String, String> labels) {
        return metrics.lines()
                .filter(line -> line.startsWith(name + "{"))
                .filter(line -> labels.entrySet().stream()
                        .allMatch(label -> line.contains(label.getKey() + "=\"" + label.getValue() + "\"")))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
