package dev.scimsync.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/** The Prometheus text exposition format, as far as the benchmark reads it: one counter's samples. */
final class PrometheusText {

    private PrometheusText() {
    }

    /**
     * The samples of one metric: label set (as written, e.g. {@code method="GET",uri="/x"}, empty without
     * labels) to value. Comments, other metrics and metrics whose name only starts with {@code metric} are skipped.
     */
    static Map<String, Double> samples(String text, String metric) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#") || !line.startsWith(metric)) {
                continue;
            }
            String rest = line.substring(metric.length());
            String labels;
            String value;
            if (rest.startsWith("{")) {
                int close = closingBrace(rest);
                if (close < 0) {
                    continue;
                }
                labels = rest.substring(1, close);
                value = rest.substring(close + 1).strip();
            } else if (rest.startsWith(" ")) {
                labels = "";
                value = rest.strip();
            } else {
                continue;  // another metric with this prefix
            }
            int space = value.indexOf(' ');  // an optional timestamp follows the value
            if (space > 0) {
                value = value.substring(0, space);
            }
            try {
                samples.merge(labels, Double.parseDouble(value), Double::sum);
            } catch (NumberFormatException e) {
                // NaN and +Inf parse; anything else is not a sample
            }
        }
        return samples;
    }

    /** The sum of a metric's samples whose labels pass {@code filter}. */
    static double sum(String text, String metric, Predicate<String> filter) {
        return samples(text, metric).entrySet().stream().filter(e -> filter.test(e.getKey()))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** One label's value from a label set as {@link #samples} answers it, or null. */
    static String label(String labels, String name) {
        int at = 0;
        while (at < labels.length()) {
            int equals = labels.indexOf('=', at);
            if (equals < 0 || equals + 1 >= labels.length() || labels.charAt(equals + 1) != '"') {
                return null;
            }
            String key = labels.substring(at, equals).strip();
            StringBuilder value = new StringBuilder();
            int i = equals + 2;
            for (; i < labels.length() && labels.charAt(i) != '"'; i++) {
                char c = labels.charAt(i);
                if (c == '\\' && i + 1 < labels.length()) {
                    char next = labels.charAt(++i);
                    value.append(next == 'n' ? '\n' : next);
                } else {
                    value.append(c);
                }
            }
            if (key.equals(name)) {
                return value.toString();
            }
            at = i + 1;
            while (at < labels.length() && (labels.charAt(at) == ',' || labels.charAt(at) == ' ')) {
                at++;
            }
        }
        return null;
    }

    /** Where the label set ends: the first '}' outside a quoted value. */
    private static int closingBrace(String rest) {
        boolean quoted = false;
        for (int i = 1; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '}' && !quoted) {
                return i;
            }
        }
        return -1;
    }
}
