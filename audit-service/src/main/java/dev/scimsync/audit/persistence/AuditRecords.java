package dev.scimsync.audit.persistence;

import dev.scimsync.audit.domain.Activity;
import dev.scimsync.audit.domain.AuditEntry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The audit log as the admin API reads it: activity counts, pages newest first with a cursor, one record, and
 * the export's pages oldest first. Each method builds its query ({@link AuditQuery}: values only as bind
 * parameters) and runs it in a session of its own. Instants and cursors the caller passes as text are parsed
 * while the query is built: a bad one throws ({@link IllegalArgumentException},
 * {@link java.time.format.DateTimeParseException} or {@link ArrayIndexOutOfBoundsException}) before anything is
 * read.
 */
@ApplicationScoped
public class AuditRecords {

    /** Records per export page. */
    static final int EXPORT_PAGE = 1000;

    /** What a page of records is narrowed to; a null or blank value narrows nothing. */
    public record Filter(String connection, String organization, String user, String action, String outcome,
            String from, String to) {
    }

    /** Records newest first, and the cursor to the next (older) page, or null after the last. */
    public record Page(List<AuditLog.Stored> records, String nextCursor) {
    }

    /**
     * A connection's events and outcomes between {@code start} (included) and {@code end}, counted per bucket
     * (hour or day, in UTC), kind, action and outcome.
     */
    public Uni<List<Activity.Count>> activity(String connection, Activity.Bucket bucket, Instant start, Instant end) {
        AuditQuery query = new AuditQuery();
        query.equal("connection_id", connection).from(OffsetDateTime.ofInstant(start, ZoneOffset.UTC).toString())
                .to(OffsetDateTime.ofInstant(end, ZoneOffset.UTC).toString()).condition("kind in ('event', 'outcome')");
        // The unit is one of two constants, never the caller's text.
        String sql = "select date_trunc('" + bucket.sqlUnit() + "', recorded_at, 'UTC'), kind, action, outcome, "
                + "count(*) from audit_log" + query.where() + " group by 1, 2, 3, 4";
        return Panache.withSession(() -> query.run(sql)).map(rows -> rows.stream()
                .map(row -> new Activity.Count(AuditLog.instant(row[0]), (String) row[1], (String) row[2],
                        (String) row[3], ((Number) row[4]).longValue()))
                .toList());
    }

    /**
     * Up to {@code limit} records newest first (by recorded time, then id), after {@code cursor} (a page's
     * {@link Page#nextCursor}) or from the newest when it is null.
     */
    public Uni<Page> newestFirst(Filter filter, String cursor, int limit) {
        AuditQuery query = new AuditQuery();
        query.equal("connection_id", filter.connection()).equal("organization", filter.organization())
                .equal("user_ref", filter.user()).equal("action", filter.action()).equal("outcome", filter.outcome())
                .from(filter.from()).to(filter.to());
        if (cursor != null) {
            String[] position = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|");
            query.condition("(recorded_at, id) < (" + query.parameter(OffsetDateTime.parse(position[0])) + ", "
                    + query.parameter(UUID.fromString(position[1])) + ")");
        }
        String sql = "select " + AuditLog.COLUMNS + " from audit_log" + query.where()
                + " order by recorded_at desc, id desc limit " + (limit + 1);
        return Panache.withSession(() -> query.run(sql)).map(rows -> {
            List<AuditLog.Stored> stored = AuditLog.read(rows);
            String next = null;
            if (stored.size() > limit) {
                stored = stored.subList(0, limit);
                AuditEntry last = stored.get(limit - 1).entry();
                next = Base64.getUrlEncoder().withoutPadding().encodeToString((OffsetDateTime.ofInstant(
                        last.recordedAt(), ZoneOffset.UTC) + "|" + last.id()).getBytes(StandardCharsets.UTF_8));
            }
            return new Page(stored, next);
        });
    }

    /** The record with this id, if there is one. */
    public Uni<Optional<AuditLog.Stored>> byId(UUID id) {
        AuditQuery query = new AuditQuery();
        query.condition("id = " + query.parameter(id));
        return Panache.withSession(() -> query.run("select " + AuditLog.COLUMNS + " from audit_log" + query.where()))
                .map(rows -> rows.isEmpty() ? Optional.empty() : Optional.of(AuditLog.read(rows).get(0)));
    }

    /**
     * The next {@link #EXPORT_PAGE} records of a connection's time range oldest first (by recorded time, then id),
     * after the record {@code after} (the last of the previous page), or from the first when it is null. An empty
     * page ends the range.
     */
    public Uni<List<AuditLog.Stored>> exportPage(String connection, String from, String to, AuditEntry after) {
        return Panache.withSession(() -> {
            AuditQuery query = new AuditQuery();
            query.equal("connection_id", connection).from(from).to(to);
            if (after != null) {
                query.condition("(recorded_at, id) > ("
                        + query.parameter(OffsetDateTime.ofInstant(after.recordedAt(), ZoneOffset.UTC)) + ", "
                        + query.parameter(after.id()) + ")");
            }
            return query.run("select " + AuditLog.COLUMNS + " from audit_log" + query.where()
                    + " order by recorded_at, id limit " + EXPORT_PAGE).map(AuditLog::read);
        });
    }
}
