package dev.scimsync.audit.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.scimsync.audit.domain.Activity.Bucket;
import dev.scimsync.audit.domain.Activity.Category;
import dev.scimsync.audit.domain.Activity.Count;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActivityTest {

    @Test
    void memberEventsAndRefusedCommandsAreActivityAndTheRestIsNot() {
        String member = "dev.scimsync.membership.member.";
        assertEquals(Category.CREATED, Activity.categorize("event", member + "created.v1", null));
        assertEquals(Category.UPDATED, Activity.categorize("event", member + "role_changed.v1", null));
        assertEquals(Category.DEACTIVATED, Activity.categorize("event", member + "deactivated.v1", null));
        assertEquals(Category.REACTIVATED, Activity.categorize("event", member + "reactivated.v1", null));
        assertEquals(Category.REMOVED, Activity.categorize("event", member + "removed.v1", null));
        assertEquals(Category.ERRORS, Activity.categorize("outcome", "outcome", "rejected:no_seats"));
        assertNull(Activity.categorize("outcome", "outcome", "applied"));
        assertNull(Activity.categorize("command", "user.create", null));
        assertNull(Activity.categorize("event", "dev.scimsync.team.member.added.v1", null));
        assertNull(Activity.categorize("event", member + "renamed.v9", null));
    }

    @Test
    void theSeriesHasEveryBucketInRangeWithZerosAndSumsCountsPerCategory() {
        Instant from = Instant.parse("2026-11-28T09:30:00Z");
        Instant to = Instant.parse("2026-11-28T12:00:00Z");
        List<Count> counts = List.of(
                new Count(Instant.parse("2026-11-28T10:00:00Z"), "event", "dev.scimsync.membership.member.updated.v1", null, 3),
                new Count(Instant.parse("2026-11-28T10:00:00Z"), "event", "dev.scimsync.membership.member.role_changed.v1", null, 2),
                new Count(Instant.parse("2026-11-28T11:00:00Z"), "outcome", "outcome", "rejected:uniqueness", 4),
                new Count(Instant.parse("2026-11-28T11:00:00Z"), "command", "user.create", null, 9),
                new Count(Instant.parse("2026-11-27T11:00:00Z"), "outcome", "outcome", "rejected:uniqueness", 1));

        List<Activity.Point> series = Activity.series(Bucket.HOUR, from, to, counts);

        assertEquals(List.of(Instant.parse("2026-11-28T09:00:00Z"), Instant.parse("2026-11-28T10:00:00Z"),
                Instant.parse("2026-11-28T11:00:00Z")), series.stream().map(Activity.Point::start).toList());
        assertEquals(0, series.get(0).total());
        assertEquals(5L, series.get(1).counts().get(Category.UPDATED));
        assertEquals(4L, series.get(2).counts().get(Category.ERRORS));
        assertEquals(4, series.get(2).total());
        assertEquals(Instant.parse("2026-11-28T00:00:00Z"), Bucket.parse("day").start(from));
    }
}
