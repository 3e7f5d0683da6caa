package dev.scimsync.gateway.scim.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimsync.gateway.scim.JsonFields;
import dev.scimsync.gateway.scim.ScimEndpoints;
import dev.scimsync.gateway.scim.ScimException;
import dev.scimsync.gateway.scim.ScimExceptionMappers;
import dev.scimsync.gateway.scim.schema.ResourceType;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/**
 * Runs the operations of one Bulk request one after another, in the order sent (RFC 7644 section 3.7 allows any
 * order; IdPs send a resource before what refers to it), each through a {@link Performer} that answers it as its
 * single-resource endpoint would. A failed operation does not stop the others, unless {@code failOnErrors} of them
 * have failed: then the rest are neither performed nor listed. An operation answered "not now" - {@code 429} (the
 * connection's rate limit) or {@code 503} (its outcome not seen in time) - halts the run: each later operation is
 * listed with that status, not performed, so that none is applied before one the client will send again (a PATCH
 * applied and the PUT before it retried later would leave the PUT's values), and a run does not go on for minutes
 * while an owning service lags. Committed operations stay committed: a Bulk request is not a transaction
 * (section 3.7).
 */
public final class BulkRun {

    /**
     * Performs one operation, its {@code bulkId:} references resolved, with the code of its single-resource endpoint;
     * it answers, or fails, as that endpoint would.
     */
    @FunctionalInterface
    public interface Performer {
        Uni<Response> perform(int index, BulkOperation operation);
    }

    private final BulkRequest request;
    private final ScimEndpoints endpoints;
    private final Performer performer;
    private final BulkIds bulkIds = new BulkIds();
    private int failures;
    /** The operation whose "not now" halted the run, and its status; -1 while none has. */
    private int haltedBy = -1;
    private int haltStatus;

    private BulkRun(BulkRequest request, ScimEndpoints endpoints, Performer performer) {
        this.request = request;
        this.endpoints = endpoints;
        this.performer = performer;
    }

    /** The results of the operations performed, in order. */
    public static Uni<List<BulkResult>> run(BulkRequest request, ScimEndpoints endpoints, Performer performer) {
        BulkRun run = new BulkRun(request, endpoints, performer);
        // One operation at a time: each starts once the one before has its answer. An operation skipped after
        // failOnErrors completes without a result, and so is not listed.
        return Multi.createFrom().range(0, request.operations().size())
                .onItem().transformToUniAndConcatenate(index -> run.stopped() ? Uni.createFrom().nullItem()
                        : run.haltedBy >= 0 ? Uni.createFrom().item(run.notPerformed(index)) : run.perform(index))
                .collect().asList();
    }

    private boolean stopped() {
        return request.failOnErrors().isPresent() && failures >= request.failOnErrors().getAsInt();
    }

    private Uni<BulkResult> perform(int index) {
        JsonNode entry = request.operations().get(index);
        BulkOperation operation;
        try {
            operation = BulkOperation.parse(entry);
            if (operation.method() == BulkOperation.Method.POST) {
                bulkIds.declare(operation.bulkId());
            }
            operation = bulkIds.resolve(operation);
        } catch (RuntimeException refused) {
            // A SCIM error of this operation alone; anything else is a bug, logged and answered 500 here alone.
            Response answer = ScimExceptionMappers.answer(refused);
            return Uni.createFrom().item(counted(new BulkResult(echoed(entry, "method"), echoed(entry, "bulkId"),
                    null, null, answer.getStatus(), (JsonNode) answer.getEntity()), index));
        }
        BulkOperation resolved = operation;
        // Whatever fails - the operation, or reading its answer - fails this operation's result, never the request.
        return Uni.createFrom().deferred(() -> performer.perform(index, resolved))
                .map(answer -> result(resolved, answer))
                .onFailure().recoverWithItem(failure -> result(resolved, ScimExceptionMappers.answer(failure)))
                .map(result -> counted(result, index));
    }

    private BulkResult result(BulkOperation operation, Response answer) {
        String location = operation.id() != null ? location(operation.type(), operation.id()) : null;
        if (answer.getStatus() >= 400) {
            return new BulkResult(operation.method().name(), operation.bulkId(), null, location, answer.getStatus(),
                    (JsonNode) answer.getEntity());
        }
        if (operation.method() == BulkOperation.Method.POST) {
            JsonNode created = (JsonNode) answer.getEntity();
            bulkIds.created(operation.bulkId(), created.path("id").asText());
            location = location(operation.type(), created.path("id").asText());
        }
        return new BulkResult(operation.method().name(), operation.bulkId(), answer.getHeaderString(HttpHeaders.ETAG),
                location, answer.getStatus(), null);
    }

    private String location(ResourceType type, String id) {
        URI location = type == ResourceType.USER ? endpoints.user(id) : endpoints.group(id);
        return location.toString();
    }

    private BulkResult counted(BulkResult result, int index) {
        if (result.failed()) {
            failures++;
        }
        if (result.status() == 429 || result.status() == 503) {
            haltedBy = index;
            haltStatus = result.status();
        }
        return result;
    }

    /** An operation after the one that halted the run: listed as the client can match it, with that status. */
    private BulkResult notPerformed(int index) {
        JsonNode entry = request.operations().get(index);
        String location = null;
        try {
            BulkOperation operation = BulkOperation.parse(entry);
            location = operation.id() != null && !operation.id().startsWith("bulkId:")
                    ? location(operation.type(), operation.id()) : null;
        } catch (RuntimeException malformed) {
            // Listed by what it names; it would have been refused had it run.
        }
        Response answer = ScimExceptionMappers.answer(new ScimException(haltStatus, null, "not performed: operation "
                + (haltedBy + 1) + " before it was answered " + haltStatus + "; send it again with this one"));
        return new BulkResult(echoed(entry, "method"), echoed(entry, "bulkId"), null, location, haltStatus,
                (JsonNode) answer.getEntity());
    }

    /** What a malformed operation named, echoed back so the client can tell which one it was. */
    private static String echoed(JsonNode entry, String name) {
        JsonNode value = entry.isObject() ? JsonFields.get(entry, name) : null;
        return value != null && value.isTextual() ? ScimException.quote(value.asText()) : null;
    }
}
