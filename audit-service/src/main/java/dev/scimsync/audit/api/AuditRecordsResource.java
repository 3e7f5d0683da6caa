package dev.scimsync.audit.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimsync.audit.domain.Activity;
import dev.scimsync.audit.domain.AuditEntry;
import dev.scimsync.audit.domain.ChainVerification;
import dev.scimsync.audit.messaging.ChainHeads;
import dev.scimsync.audit.persistence.AuditLog;
import dev.scimsync.audit.persistence.AuditLogVerifier;
import dev.scimsync.audit.persistence.AuditRecords;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestMulti;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Admin API (behind the gateway's /admin/v1/audit): query, verify and export the audit log. Maps HTTP to
 * {@link AuditRecords} (the queries) and {@link AuditLogVerifier}; no SQL here.
 */
@Path("/internal/v1/admin/audit")
public class AuditRecordsResource {

    private static final int MAX_LIMIT = 500;

    private final ChainHeads heads;
    private final AuditLogVerifier verifier;
    private final AuditRecords records;
    private final Clock clock;

    public AuditRecordsResource(ChainHeads heads, AuditLogVerifier verifier, AuditRecords records, Clock clock) {
        this.heads = heads;
        this.verifier = verifier;
        this.records = records;
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
        return records.activity(connection, bucket, start, end).map(counts -> {
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
        Uni<AuditRecords.Page> page;
        try {
            // Builds the query now: a bad instant or cursor throws here, before anything is read.
            page = records.newestFirst(new AuditRecords.Filter(connection, organization, user, action, outcome, from,
                    to), cursor, limit);
        } catch (IllegalArgumentException | DateTimeParseException | ArrayIndexOutOfBoundsException e) {
            return bad("bad query: " + e.getMessage());
        }
        return page.map(found -> Response.ok(new RecordPage(found.records().stream().map(RecordView::of).toList(),
                found.nextCursor())).build());
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
        return records.byId(uuid).map(found -> found.isEmpty() ? Response.status(404).entity(Map.of("status", 404,
                "detail", "audit record " + id + " not found")).build()
                : Response.ok(RecordView.of(found.get())).build());
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
        AtomicReference<AuditEntry> after = new AtomicReference<>();
        Multi<String> rows = Multi.createBy().repeating()
                .uni(() -> records.exportPage(connection, from, to, after.get()))
                .until(List::isEmpty)
                .onItem().transformToIterable(page -> {
                    after.set(page.get(page.size() - 1).entry());
                    return page.stream().map(stored -> lines.line(RecordView.of(stored))).toList();
                });
        Multi<String> body = lines.header().map(header -> Multi.createBy().concatenating()
                .streams(Multi.createFrom().item(header), rows)).orElse(rows);
        return RestMulti.fromMultiData(body).encodeAsJsonArray(false).header("Content-Type", lines.contentType())
                .build();
    }

    private static Uni<Response> bad(String detail) {
        return Uni.createFrom().item(AdminProblems.of(400, detail));
    }
}
