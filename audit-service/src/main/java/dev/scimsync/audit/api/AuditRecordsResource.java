package dev.scimsync.audit.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimsync.audit.domain.Activity;
import dev.scimsync.audit.domain.AuditEntry;
import dev.scimsync.audit.domain.ChainVerification;
import dev.scimsync.audit.messaging.ChainHeads;
import dev.scimsync.audit.persistence.AuditLog;
import dev.scimsync.audit.persistence.AuditLogVerifier;
import dev.scimsync.audit.persistence.AuditQuery;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestMulti;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/** Admin API (behind the gateway's /admin/v1/audit): query, verify and export the audit log. */
@Path("/internal/v1/admin/audit")
public class AuditRecordsResource {

    private static final int MAX_LIMIT = 500;
    private static final int EXPORT_PAGE = 1000;

    private final ChainHeads heads;
    private final AuditLogVerifier verifier;
    private final Clock clock;

    public AuditRecordsResource(ChainHeads heads, AuditLogVerifier verifier, Clock clock) {
        this.heads = heads;
        this.verifier = verifier;
        this.clock = clock;
    }

    public record RecordView(String id, String connectionId, long seq, String kind, String messageId, String commandId,
            String action, String outcome, String organization, String user, String tokenId, String requestId,
            String clientAddress, String userAgent, Instant recordedAt, String previousHash, String hash, String keyId,
            JsonNode payload) {
        static RecordView of(AuditLog.Stored stored) {
            AuditEntry e = stored.entry();
            return new RecordView(e.id().toString(), e.connectionId(), e.seq(), e.kind(), e.messageId(),
                    e.commandId() == null ? null : e.commandId().toString(), e.action(), e.outcome(), e.organization(),
                    e.user(), e.tokenId(), e.requestId(), e.clientAddress(), e.userAgent(), e.recordedAt(),
                    e.previousHash(), stored.hash(), e.keyId(), e.payload());
        }
    }

    public record RecordPage(List<RecordView> records, String nextCursor) {
    }

    /**
     * @param startedAfterSeq  the retention checkpoint's seq (the last record dropped), 0 when nothing was dropped
     * @param records          records checked, the broken one included
     * @param keyedRecords     of those, records chained with a MAC
     * @param unkeyedRecords   of those, records written before the chain was keyed (plain SHA-256)
     */
    public record Verification(String connection, long startedAfterSeq, long records, long keyedRecords,
            long unkeyedRecords, boolean intact, Long firstBrokenSeq, String firstBrokenId, String problem) {
        static Verification of(String connection, ChainVerification.Result result) {
            return new Verification(connection, result.startedAfterSeq(), result.checked(), result.keyed(),
                    result.unkeyed(), result.intact(), result.brokenSeq(),
                    result.brokenId() == null ? null : result.brokenId().toString(), result.problem());
        }
    }

    /** One bucket of provisioning activity; the admin console charts these. */
    public record ActivityPoint(Instant start, long created, long updated, long deactivated, long reactivated,
            long removed, long errors) {
        static ActivityPoint of(Activity.Point point) {
            Map<Activity.Category, Long> c = point.counts();
            return new ActivityPoint(point.start(), c.get(Activity.Category.CREATED), c.get(Activity.Category.UPDATED),
                    c.get(Activity.Category.DEACTIVATED), c.get(Activity.Category.REACTIVATED),
                    c.get(Activity.Category.REMOVED), c.get(Activity.Category.ERRORS));
        }
    }

    public record ActivityView(String connection, String bucket, Instant from, Instant to, List<ActivityPoint> points) {
    }

    private static final int MAX_BUCKETS = 1000;

    /**
     * A connection's provisioning activity per hour (default: the last 48 hours) or day (the last 30 days):
     * members created, updated, deactivated, reactivated and removed, and refused commands.
     */
    @GET
    @Path("/activity")
    public Uni<Response> activity(@QueryParam("connection") String connection,
            @QueryParam("bucket") @DefaultValue("hour") String bucketName, @QueryParam("from") String from,
            @QueryParam("to") String to) {
        if (connection == null || connection.isBlank()) {
            return bad("connection is required");
        }
        Activity.Bucket bucket;
        Instant end;
        Instant start;
        try {
            bucket = Activity.Bucket.parse(bucketName);
            end = to == null ? clock.instant() : OffsetDateTime.parse(to).toInstant();
            start = from == null ? end.minus(bucket.defaultSpan()) : OffsetDateTime.parse(from).toInstant();
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return bad("bucket is hour or day; from and to are ISO-8601 instants");
        }
        if (!start.isBefore(end) || java.time.Duration.between(start, end).dividedBy(bucket.length()) > MAX_BUCKETS) {
            return bad("from must be before to, and at most " + MAX_BUCKETS + " buckets apart");
        }
        AuditQuery query = new AuditQuery();
        query.equal("connection_id", connection).from(OffsetDateTime.ofInstant(start, ZoneOffset.UTC).toString())
                .to(OffsetDateTime.ofInstant(end, ZoneOffset.UTC).toString()).condition("kind in ('event', 'outcome')");
        // The unit is one of two constants, never the caller's text.
        String sql = "select date_trunc('" + bucket.sqlUnit() + "', recorded_at, 'UTC'), kind, action, outcome, "
                + "count(*) from audit_log" + query.where() + " group by 1, 2, 3, 4";
        return Panache.withSession(() -> query.run(sql)).map(rows -> {
            List<Activity.Count> counts = rows.stream().map(row -> new Activity.Count(AuditLog.instant(row[0]),
                    (String) row[1], (String) row[2], (String) row[3], ((Number) row[4]).longValue())).toList();
            List<ActivityPoint> points = Activity.series(bucket, start, end, counts).stream().map(ActivityPoint::of)
                    .toList();
            return Response.ok(new ActivityView(connection, bucket.sqlUnit(), start, end, points)).build();
        });
    }

    /** Newest first, with an opaque cursor to the next (older) page. */
    @GET
    @Path("/records")
    public Uni<Response> records(@QueryParam("connection") String connection,
            @QueryParam("organization") String organization, @QueryParam("user") String user,
            @QueryParam("action") String action, @QueryParam("outcome") String outcome, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("cursor") String cursor,
            @QueryParam("limit") @DefaultValue("50") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            return bad("limit must be between 1 and " + MAX_LIMIT);
        }
        AuditQuery query = new AuditQuery();
        try {
            query.equal("connection_id", connection).equal("organization", organization).equal("user_ref", user)
                    .equal("action", action).equal("outcome", outcome).from(from).to(to);
            if (cursor != null) {
                String[] position = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|");
                query.condition("(recorded_at, id) < (" + query.parameter(OffsetDateTime.parse(position[0])) + ", "
                        + query.parameter(UUID.fromString(position[1])) + ")");
            }
        } catch (IllegalArgumentException | DateTimeParseException | ArrayIndexOutOfBoundsException e) {
            return bad("bad query: " + e.getMessage());
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
            return Response.ok(new RecordPage(stored.stream().map(RecordView::of).toList(), next)).build();
        });
    }

    @GET
    @Path("/records/{id}")
    public Uni<Response> record(@PathParam("id") String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(Response.status(404).build());
        }
        AuditQuery query = new AuditQuery();
        query.condition("id = " + query.parameter(uuid));
        return Panache.withSession(() -> query.run("select " + AuditLog.COLUMNS + " from audit_log" + query.where()))
                .map(rows -> rows.isEmpty() ? Response.status(404).entity(Map.of("status", 404, "detail",
                        "audit record " + id + " not found")).build()
                        : Response.ok(RecordView.of(AuditLog.read(rows).get(0))).build());
    }

    /**
     * Recomputes the connection's chain ({@link AuditLogVerifier}), holds it against the latest head published
     * outside the database, and names the first record that does not fit.
     */
    @GET
    @Path("/verify")
    public Uni<Response> verify(@QueryParam("connection") String connection) {
        if (connection == null || connection.isBlank()) {
            return bad("connection is required");
        }
        // Taken before the records are read: a head is published only after its records were committed.
        ChainVerification.PublishedHead head = heads.latest(connection)
                .map(h -> new ChainVerification.PublishedHead(h.seq(), h.value(), h.publishedAt())).orElse(null);
        return verifier.verify(connection, head)
                .map(result -> Response.ok(Verification.of(connection, result)).build());
    }

    /**
     * Streams a time range as NDJSON or CSV, a page at a time: memory stays bounded whatever the range. Each
     * item is one line; the stream writer ends every item with a newline.
     */
    @GET
    @Path("/export")
    public RestMulti<String> export(@QueryParam("format") @DefaultValue("ndjson") String format,
            @QueryParam("connection") String connection, @QueryParam("from") String from, @QueryParam("to") String to) {
        AuditExportFormat lines = AuditExportFormat.named(format);
        AtomicReference<Object[]> after = new AtomicReference<>();
        Multi<String> rows = Multi.createBy().repeating()
                .uni(() -> Panache.withSession(() -> exportPage(connection, from, to, after.get())))
                .until(List::isEmpty)
                .onItem().transformToIterable(page -> {
                    AuditEntry last = page.get(page.size() - 1).entry();
                    after.set(new Object[] {OffsetDateTime.ofInstant(last.recordedAt(), ZoneOffset.UTC), last.id()});
                    return page.stream().map(stored -> lines.line(RecordView.of(stored))).toList();
                });
        Multi<String> body = lines.header().map(header -> Multi.createBy().concatenating()
                .streams(Multi.createFrom().item(header), rows)).orElse(rows);
        return RestMulti.fromMultiData(body).encodeAsJsonArray(false).header("Content-Type", lines.contentType())
                .build();
    }

    private static Uni<List<AuditLog.Stored>> exportPage(String connection, String from, String to, Object[] after) {
        AuditQuery query = new AuditQuery();
        query.equal("connection_id", connection).from(from).to(to);
        if (after != null) {
            query.condition("(recorded_at, id) > (" + query.parameter(after[0]) + ", " + query.parameter(after[1]) + ")");
        }
        return query.run("select " + AuditLog.COLUMNS + " from audit_log" + query.where()
                + " order by recorded_at, id limit " + EXPORT_PAGE).map(AuditLog::read);
    }

    private static Uni<Response> bad(String detail) {
        return Uni.createFrom().item(AdminProblems.of(400, detail));
    }
}
