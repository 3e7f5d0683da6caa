package dev.scimsync.audit.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Provisioning activity over time, counted from the audit log so the admin console can show whether the IdP
 * is syncing: what happened to members (from the membership events, which say what changed rather than
 * what was asked) and how many commands were refused.
 */
public final class Activity {

    /** What an admin asks about; one audit record counts towards at most one. */
    public enum Category {
        CREATED, UPDATED, DEACTIVATED, REACTIVATED, REMOVED, ERRORS;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Hour or day buckets, in UTC. */
    public enum Bucket {
        HOUR(ChronoUnit.HOURS, Duration.ofHours(48)), DAY(ChronoUnit.DAYS, Duration.ofDays(30));

        private final ChronoUnit unit;
        private final Duration defaultSpan;

        Bucket(ChronoUnit unit, Duration defaultSpan) {
            this.unit = unit;
            this.defaultSpan = defaultSpan;
        }

        /** The argument to PostgreSQL's {@code date_trunc}. */
        public String sqlUnit() {
            return name().toLowerCase(Locale.ROOT);
        }

        public Duration length() {
            return unit.getDuration();
        }

        public Duration defaultSpan() {
            return defaultSpan;
        }

        public Instant start(Instant instant) {
            return instant.truncatedTo(unit);
        }

        Instant next(Instant start) {
            return start.plus(1, unit);
        }

        public static Bucket parse(String value) {
            return Bucket.valueOf(value.toUpperCase(Locale.ROOT));
        }
    }

    private static final String MEMBER_EVENT = "dev.scimsync.membership.member.";

    /** The category of a record, or null for records that are not activity (commands, team events). */
    public static Category categorize(String kind, String action, String outcome) {
        if ("outcome".equals(kind)) {
            return outcome != null && outcome.startsWith("rejected") ? Category.ERRORS : null;
        }
        if (!"event".equals(kind) || action == null || !action.startsWith(MEMBER_EVENT)) {
            return null;
        }
        String change = action.substring(MEMBER_EVENT.length(), action.lastIndexOf('.'));
        switch (change) {
            case "created":
                return Category.CREATED;
            case "updated":
            case "role_changed":
                return Category.UPDATED;
            case "deactivated":
                return Category.DEACTIVATED;
            case "reactivated":
                return Category.REACTIVATED;
            case "removed":
                return Category.REMOVED;
            default:
                return null;
        }
    }

    /** One bucket's counts, each category present (zero included) so a chart needs no gaps filled. */
    public record Point(Instant start, Map<Category, Long> counts) {
        public long total() {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** A counted group of records: the bucket it starts, and what the records were. */
    public record Count(Instant bucketStart, String kind, String action, String outcome, long count) {
    }

    /** Every bucket from {@code from} up to {@code to}, in order, with the counts summed per category. */
    public static List<Point> series(Bucket bucket, Instant from, Instant to, List<Count> counts) {
        Map<Instant, Map<Category, Long>> byStart = new java.util.TreeMap<>();
        for (Instant start = bucket.start(from); start.isBefore(to); start = bucket.next(start)) {
            Map<Category, Long> zero = new EnumMap<>(Category.class);
            for (Category category : Category.values()) {
                zero.put(category, 0L);
            }
            byStart.put(start, zero);
        }
        for (Count count : counts) {
            Category category = categorize(count.kind(), count.action(), count.outcome());
            Map<Category, Long> point = byStart.get(bucket.start(count.bucketStart()));
            if (category != null && point != null) {
                point.merge(category, count.count(), Long::sum);
            }
        }
        List<Point> points = new ArrayList<>(byStart.size());
        byStart.forEach((start, values) -> points.add(new Point(start, values)));
        return points;
    }

    private Activity() {
    }
}
