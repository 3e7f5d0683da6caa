package dev.scimsync.gateway.console.view;

import java.time.Instant;
import java.util.List;

/** A connection's provisioning activity, one point per hour or day. */
public record Activity(List<Point> points) {

    public Activity {
        points = points == null ? List.of() : List.copyOf(points);
    }

    /** One bucket: when it starts and what happened in it. */
    public record Point(Instant start, long created, long updated, long reactivated, long deactivated, long removed,
            long errors) {
    }
}
