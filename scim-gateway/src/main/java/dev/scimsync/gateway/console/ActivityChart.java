package dev.scimsync.gateway.console;

import dev.scimsync.gateway.console.view.Activity;
import io.quarkus.qute.TemplateData;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The console's activity chart: stacked bars per hour or day, drawn server-side as SVG so it needs no
 * script and no chart library; the same numbers are also given as a table for screen readers.
 */
@TemplateData
public record ActivityChart(int width, int height, long max, List<Bar> bars, List<Label> labels, List<Row> rows,
        Totals totals) {

    /** The series, bottom of the stack first; each has a CSS class that colours it. */
    public static final List<String> SERIES = List.of("created", "updated", "reactivated", "deactivated", "removed",
            "errors");

    static final int WIDTH = 720;
    static final int HEIGHT = 180;

    /** One coloured segment of one bucket's bar. */
    @TemplateData
    public record Bar(int x, int y, int width, int height, String series, String title) {
    }

    /** A time label under the bars. */
    @TemplateData
    public record Label(int x, String text, String anchor) {
    }

    /** One bucket as a table row. */
    @TemplateData
    public record Row(String start, long created, long updated, long reactivated, long deactivated, long removed,
            long errors) {
    }

    @TemplateData
    public record Totals(long created, long updated, long reactivated, long deactivated, long removed, long errors) {
        public long all() {
            return created + updated + reactivated + deactivated + removed + errors;
        }
    }

    public List<String> seriesNames() {
        return SERIES;
    }

    /** The drawing's height: the bars and a line of time labels under them. */
    public int svgHeight() {
        return height + 24;
    }

    public int labelY() {
        return height + 18;
    }

    /** From the audit API's activity points ({@code start} and one count per series). */
    public static ActivityChart of(List<Activity.Point> points, boolean daily) {
        DateTimeFormatter format = DateTimeFormatter.ofPattern(daily ? "MMM d" : "MMM d HH:00").withZone(ZoneOffset.UTC);
        int count = Math.max(points.size(), 1);
        int slot = Math.max(WIDTH / count, 1);
        long max = 1;
        for (Activity.Point point : points) {
            max = Math.max(max, Arrays.stream(counts(point)).sum());
        }
        List<Bar> bars = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        long[] totals = new long[SERIES.size()];
        for (int i = 0; i < points.size(); i++) {
            long[] row = counts(points.get(i));
            String start = format.format(points.get(i).start());
            int top = HEIGHT;
            for (int s = 0; s < SERIES.size(); s++) {
                String series = SERIES.get(s);
                long value = row[s];
                totals[s] += value;
                if (value == 0) {
                    continue;
                }
                int height = (int) Math.max(1, Math.round((double) value * HEIGHT / max));
                top -= height;
                bars.add(new Bar(i * slot, top, Math.max(slot - 1, 1), height, series, start + ": " + value + " " + series));
            }
            if (Arrays.stream(row).sum() > 0) {
                rows.add(new Row(start, row[0], row[1], row[2], row[3], row[4], row[5]));
            }
        }
        List<Label> labels = new ArrayList<>();
        // First, middle and last bucket: enough to read the time axis without crowding it.
        // The last label ends at the right edge rather than running off it.
        new java.util.TreeSet<>(List.of(0, points.size() / 2, points.size() - 1)).stream()
                .filter(i -> i >= 0 && i < points.size())
                .forEach(i -> {
                    String text = format.format(points.get(i).start());
                    boolean last = i == points.size() - 1 && i > 0;
                    labels.add(new Label(last ? (i + 1) * slot : i * slot, text, last ? "end" : "start"));
                });
        return new ActivityChart(slot * count, HEIGHT, max, bars, labels, rows,
                new Totals(totals[0], totals[1], totals[2], totals[3], totals[4], totals[5]));
    }

    /** A point's counts in the order of {@link #SERIES}. */
    private static long[] counts(Activity.Point point) {
        return new long[] {point.created(), point.updated(), point.reactivated(), point.deactivated(), point.removed(),
                point.errors()};
    }
}
