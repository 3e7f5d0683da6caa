package dev.scimsync.gateway.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scimsync.gateway.console.view.Activity;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActivityChartTest {

    private static Activity.Point point(String start, int created, int errors) {
        return new Activity.Point(Instant.parse(start), created, 0, 0, 0, 0, errors);
    }

    @Test
    void barsStackPerBucketScaledToTheBusiestAndEmptyBucketsDrawNothing() {
        ActivityChart chart = ActivityChart.of(List.of(point("2026-11-28T10:00:00Z", 30, 10),
                point("2026-11-28T11:00:00Z", 0, 0), point("2026-11-28T12:00:00Z", 20, 0)), false);

        assertEquals(40, chart.max());
        assertEquals(List.of("created", "errors", "created"), chart.bars().stream().map(ActivityChart.Bar::series).toList());
        ActivityChart.Bar created = chart.bars().get(0);
        ActivityChart.Bar errors = chart.bars().get(1);
        assertEquals(135, created.height(), "30 of 40 at 180 px");
        assertEquals(45, errors.height());
        assertEquals(0, errors.y(), "the busiest bar reaches the top");
        assertEquals(created.y(), errors.y() + errors.height(), "errors sit on top of creates");
        assertEquals(chart.bars().get(2).x(), 2 * (ActivityChart.WIDTH / 3));
        assertEquals("Nov 28 10:00: 30 created", created.title());
        assertEquals(List.of("Nov 28 10:00", "Nov 28 11:00", "Nov 28 12:00"),
                chart.labels().stream().map(ActivityChart.Label::text).toList());
        assertEquals(2, chart.rows().size(), "the table leaves out quiet hours");
        assertEquals(50, chart.totals().created());
        assertEquals(60, chart.totals().all());
    }

    @Test
    void noActivityIsAnEmptyChartNotADivisionByZero() {
        ActivityChart chart = ActivityChart.of(List.of(point("2026-11-28T00:00:00Z", 0, 0)), true);
        assertEquals(List.of(), chart.bars());
        assertEquals(List.of("Nov 28"), chart.labels().stream().map(ActivityChart.Label::text).toList());
        assertEquals(0, chart.totals().all());
    }
}
