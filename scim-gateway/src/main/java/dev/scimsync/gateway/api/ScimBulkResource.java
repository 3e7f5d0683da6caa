package dev.scimsync.gateway.api;

import dev.scimsync.gateway.auth.RateLimits;
import dev.scimsync.gateway.auth.ScimCaller;
import dev.scimsync.gateway.scim.Projection;
import dev.scimsync.gateway.scim.RequestBodies;
import dev.scimsync.gateway.scim.ResourceIds;
import dev.scimsync.gateway.scim.ScimException;
import dev.scimsync.gateway.scim.ScimLimits;
import dev.scimsync.gateway.scim.ScimSchemas;
import dev.scimsync.gateway.scim.bulk.BulkOperation;
import dev.scimsync.gateway.scim.bulk.BulkRequest;
import dev.scimsync.gateway.scim.bulk.BulkResult;
import dev.scimsync.gateway.scim.bulk.BulkRun;
import dev.scimsync.gateway.scim.schema.ResourceType;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * SCIM Bulk (RFC 7644 section 3.7): many writes of Users and Groups in one request, answered {@code 200} with one
 * result per operation performed ({@link BulkRun}). Each operation is performed by its single-resource endpoint's
 * own code ({@link UserOperations}, {@link GroupOperations}): validated, limited, sent as a command and answered from
 * its committed outcome, so its result carries the status, ETag and SCIM error that endpoint would answer.
 * <p>
 * The request is authenticated and rate limited like every SCIM request, and each operation beyond the first takes
 * a request's share of the connection's rate limit: over it, that operation is {@code 429} in its result and not
 * performed. Every command carries the Bulk request's origin (its request id), for the audit log.
 */
@Path("/scim/v2/Bulk")
@Produces({ScimSchemas.MEDIA_TYPE, MediaType.APPLICATION_JSON})
public class ScimBulkResource {

    /**
     * A result carries no resource, so the answers leave out what would cost a call to another service: a user's
     * groups, a group's members.
     */
    private static final Projection USER_ANSWER = Projection.of(null, "groups");
    private static final Projection GROUP_ANSWER = Projection.of(null, "members");

    private final ScimCaller caller;
    private final UserOperations users;
    private final GroupOperations groups;
    private final RequestBodies bodies;
    private final RateLimits rateLimits;
    private final int maxOperations;

    public ScimBulkResource(ScimCaller caller, UserOperations users, GroupOperations groups, RequestBodies bodies,
            RateLimits rateLimits, ScimLimits limits) {
        this.caller = caller;
        this.users = users;
        this.groups = groups;
        this.bodies = bodies;
        this.rateLimits = rateLimits;
        this.maxOperations = limits.bulkOperations();
    }

    @POST
    @Consumes({ScimSchemas.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public Uni<Response> bulk(byte[] body, @Context UriInfo uri, @Context HttpHeaders headers,
            @Context HttpServerRequest http) {
        BulkRequest request = BulkRequest.parse(bodies.readJson(body), maxOperations);
        WriteContext context = WriteContext.of(caller, uri, headers, http);
        return BulkRun.run(request, context.endpoints(), (index, operation) -> perform(index, operation, context))
                .map(results -> Response.ok(BulkResult.response(results)).type(ScimSchemas.MEDIA_TYPE).build());
    }

    private Uni<Response> perform(int index, BulkOperation operation, WriteContext context) {
        // The request itself took the first operation's share when it was authenticated.
        if (index > 0) {
            OptionalInt wait = rateLimits.acquireOperation(context.connectionId());
            if (wait.isPresent()) {
                throw ScimException.tooManyRequests("the connection is over its rate limit (scim.rate-limit); this "
                        + "operation was not performed: send it again after " + wait.getAsInt() + " s",
                        wait.getAsInt());
            }
        }
        if (operation.id() != null) {
            ResourceIds.existing(operation.id(), operation.type());
        }
        return operation.type() == ResourceType.USER ? user(operation, context) : group(operation, context);
    }

    private Uni<Response> user(BulkOperation operation, WriteContext context) {
        return switch (operation.method()) {
            case POST -> users.create(context, operation.data(), USER_ANSWER);
            case PUT -> users.replace(context, operation.id(), operation.data(), operation.ifMatch(), USER_ANSWER);
            case PATCH -> users.patch(context, operation.id(), operation.data(), operation.ifMatch(), USER_ANSWER);
            case DELETE -> users.delete(context, operation.id(), operation.ifMatch());
        };
    }

    /** A group PATCH answers 204, as {@code /Groups} does when nothing asks to see the resource. */
    private Uni<Response> group(BulkOperation operation, WriteContext context) {
        return switch (operation.method()) {
            case POST -> groups.create(context, operation.data(), GROUP_ANSWER);
            case PUT -> groups.replace(context, operation.id(), operation.data(), operation.ifMatch(), GROUP_ANSWER);
            case PATCH -> groups.patch(context, operation.id(), operation.data(), operation.ifMatch(),
                    Optional.empty());
            case DELETE -> groups.delete(context, operation.id(), operation.ifMatch());
        };
    }
}
