package dev.scimsync.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * membership-service's command loop, from its {@code /q/metrics}: it applies one group of polled user commands at a
 * time (one transaction), publishes their outcomes, then commits their offsets, and every create waits for all three
 * steps of its group. How full the groups were, how long each step took and how much of the phase the loop was busy
 * say whether the loop or the machine set a sync's rate.
 */
final class CommandLoop {

    static final List<String> STEPS = List.of("apply", "publish", "acknowledge");

    /** Counters at one moment: groups, commands in them, and each step's seconds summed. */
    record Snapshot(double groups, double commands, Map<String, Double> stepSeconds) {
    }

    private CommandLoop() {
    }

    /** The loop's counters in one Prometheus text, or null when the service does not expose them. */
    static Snapshot of(String prometheusText) {
        Map<String, Double> groups = PrometheusText.samples(prometheusText, "scim_command_batch_commands_count");
        if (groups.isEmpty()) {
            return null;
        }
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (String step : STEPS) {
            seconds.put(step, PrometheusText.sum(prometheusText, "scim_command_batch_seconds_sum",
                    labels -> user(labels) && step.equals(PrometheusText.label(labels, "phase"))));
        }
        return new Snapshot(PrometheusText.sum(prometheusText, "scim_command_batch_commands_count", CommandLoop::user),
                PrometheusText.sum(prometheusText, "scim_command_batch_commands_sum", CommandLoop::user), seconds);
    }

    private static boolean user(String labels) {
        return "user".equals(PrometheusText.label(labels, "resource"));
    }

    /**
     * One line for the report, or null when the end was not read or no group was applied in between. A start without
     * the loop's counters is a service that had applied nothing yet (Micrometer writes a meter once it is first used).
     */
    static String describe(Snapshot before, Snapshot after, double phaseSeconds) {
        if (before == null) {
            Map<String, Double> none = new LinkedHashMap<>();
            STEPS.forEach(step -> none.put(step, 0.0));
            before = new Snapshot(0, 0, none);
        }
        if (after == null || after.groups() <= before.groups()) {
            return null;
        }
        double groups = after.groups() - before.groups();
        double commands = after.commands() - before.commands();
        double busy = 0;
        StringBuilder steps = new StringBuilder();
        for (String step : STEPS) {
            double seconds = after.stepSeconds().get(step) - before.stepSeconds().get(step);
            busy += seconds;
            steps.append(steps.isEmpty() ? "" : ", ")
                    .append(String.format(Locale.ROOT, "%s %.2f ms", step, 1000 * seconds / groups));
        }
        return String.format(Locale.ROOT, "membership-service's command loop (one group of polls at a time):"
                + " %.0f groups of %.1f commands on average; per group %s; busy %.0f %% of the phase's %.1f s%n", groups,
                commands / groups, steps, 100 * busy / phaseSeconds, phaseSeconds);
    }
}
