package dev.scimsync.gateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimsync.contracts.CommandFailure;
import dev.scimsync.contracts.CommandOrigin;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.contracts.UserProfile;
import dev.scimsync.contracts.UserSnapshot;
import dev.scimsync.gateway.auth.ScimCaller;
import dev.scimsync.gateway.groupsync.UserGroups;
import dev.scimsync.gateway.membership.MembershipClient;
import dev.scimsync.gateway.messaging.CommandDispatcher;
import dev.scimsync.gateway.scim.OutcomeErrors;
import dev.scimsync.gateway.scim.Projection;
import dev.scimsync.gateway.scim.RequestBodies;
import dev.scimsync.gateway.scim.ScimEndpoints;
import dev.scimsync.gateway.scim.ScimException;
import dev.scimsync.gateway.scim.ScimLimits;
import dev.scimsync.gateway.scim.ScimSchemas;
import dev.scimsync.gateway.scim.UserRequests;
import dev.scimsync.gateway.scim.UserResources;
import dev.scimsync.gateway.scim.patch.PatchOperation;
import dev.scimsync.gateway.scim.patch.UserPatcher;
import dev.scimsync.gateway.scim.schema.ResourceType;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * SCIM Users (RFC 7644 section 3): writes become commands for membership-service and are answered with
 * their committed outcome; reads and searches are answered by membership-service, rendered here. The
 * read-only {@code groups} attribute comes from group-sync-service, asked only when the response shows it.
 */
@Path("/scim/v2/Users")
@Produces({ScimSchemas.MEDIA_TYPE, MediaType.APPLICATION_JSON})
public class ScimUsersResource {

    /** A PATCH read-modify-write that lost a race with another write of the same user is tried again. */
    private static final int PATCH_ATTEMPTS = 3;

    private final ScimCaller caller;
    private final CommandDispatcher dispatcher;
    private final MembershipClient membership;
    private final UserRequests requests;
    private final UserPatcher patcher;
    private final UserSearch search;
    private final UserGroups userGroups;
    private final ScimLimits limits;

    public ScimUsersResource(ScimCaller caller, CommandDispatcher dispatcher, @RestClient MembershipClient membership,
            RequestBodies bodies, ScimLimits limits, UserSearch search, UserGroups userGroups) {
        this.caller = caller;
        this.dispatcher = dispatcher;
        this.membership = membership;
        this.requests = new UserRequests(bodies, limits);
        this.patcher = new UserPatcher(requests, limits);
        this.search = search;
        this.userGroups = userGroups;
        this.limits = limits;
    }

    @POST
    @Consumes({ScimSchemas.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public Uni<Response> create(byte[] body, @Context UriInfo uri, @Context HttpHeaders headers,
            @Context HttpServerRequest http, @QueryParam("attributes") String attributes,
            @QueryParam("excludedAttributes") String excludedAttributes) {
        UserCommand command = UserCommand.create(caller.connectionId(), requests.parse(body),
                ScimRequests.origin(caller, headers, http));
        ScimEndpoints endpoints = ScimRequests.endpoints(uri);
        return dispatcher.dispatch(command).chain(outcome -> {
            UserSnapshot user = OutcomeErrors.applied(outcome).user();
            // A user created just now (version 1) is in no group yet: no need to ask group-sync-service. An
            // existing account adopted by the create (a JIT sign-in before) has a later version and may be.
            return resource(Response.created(UserResources.location(endpoints, user)), user, endpoints,
                    Projection.of(attributes, excludedAttributes), user.version() > 1);
        });
    }

    @GET
    @Path("/{id}")
    public Uni<Response> get(@PathParam("id") String id, @Context UriInfo uri, @Context HttpHeaders headers,
            @QueryParam("attributes") String attributes, @QueryParam("excludedAttributes") String excludedAttributes) {
        Optional<Long> notIfVersion = ScimRequests.ifNoneMatch(headers);
        return read(id).chain(user -> {
            if (notIfVersion.isPresent() && notIfVersion.get() == user.version()) {
                return Uni.createFrom().item(
                        Response.notModified().header(HttpHeaders.ETAG, UserResources.etag(user)).build());
            }
            return resource(Response.ok(), user, ScimRequests.endpoints(uri),
                    Projection.of(attributes, excludedAttributes));
        });
    }

    @GET
    public Uni<Response> list(@QueryParam("filter") String filter, @QueryParam("startIndex") Integer startIndex,
            @QueryParam("count") Integer count, @QueryParam("sortBy") String sortBy,
            @QueryParam("sortOrder") String sortOrder, @QueryParam("attributes") String attributes,
            @QueryParam("excludedAttributes") String excludedAttributes, @Context UriInfo uri) {
        return search.search(caller.connectionId(), new SearchRequest(filter, startIndex, count, sortBy, sortOrder,
                Projection.of(attributes, excludedAttributes), ScimRequests.cursor(uri)), ScimRequests.endpoints(uri));
    }

    /** POST /Users/.search (RFC 7644 section 3.4.3): the same query, in a body. */
    @POST
    @Path("/.search")
    @Consumes({ScimSchemas.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public Uni<Response> searchInBody(byte[] body, @Context UriInfo uri) {
        return search.search(caller.connectionId(), SearchRequest.fromBody(requests.readJson(body)),
                ScimRequests.endpoints(uri));
    }

    @PUT
    @Path("/{id}")
    @Consumes({ScimSchemas.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public Uni<Response> replace(@PathParam("id") String id, byte[] body, @Context UriInfo uri,
            @Context HttpHeaders headers, @Context HttpServerRequest http, @QueryParam("attributes") String attributes,
            @QueryParam("excludedAttributes") String excludedAttributes) {
        UserProfile profile = requests.parse(body);
        Long expected = ScimRequests.ifMatch(headers).orElse(null);
        UserCommand command = UserCommand.replace(caller.connectionId(), id, profile, expected,
                ScimRequests.origin(caller, headers, http));
        return dispatcher.dispatch(command).chain(outcome -> resource(Response.ok(),
                OutcomeErrors.applied(outcome).user(), ScimRequests.endpoints(uri),
                Projection.of(attributes, excludedAttributes)));
    }

    /**
     * PATCH answers 200 with the resource (RFC 7644 section 3.5.2 allows 200 or 204; the resource saves the
     * IdP a read). The operations are applied here to the current document, and the result replaces the
     * user on the condition that nobody changed it meanwhile.
     */
    @PATCH
    @Path("/{id}")
    @Consumes({ScimSchemas.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public Uni<Response> patch(@PathParam("id") String id, byte[] body, @Context UriInfo uri,
            @Context HttpHeaders headers, @Context HttpServerRequest http, @QueryParam("attributes") String attributes,
            @QueryParam("excludedAttributes") String excludedAttributes) {
        List<PatchOperation> operations = PatchOperation.parseRequest(requests.readJson(body), ResourceType.USER,
                limits.patchOperations());
        Optional<Long> ifMatch = ScimRequests.ifMatch(headers);
        CommandOrigin origin = ScimRequests.origin(caller, headers, http);
        return patchAttempt(id, operations, ifMatch, origin, 1).chain(user -> resource(Response.ok(), user,
                ScimRequests.endpoints(uri), Projection.of(attributes, excludedAttributes)));
    }

    private Uni<UserSnapshot> patchAttempt(String id, List<PatchOperation> operations, Optional<Long> ifMatch,
            CommandOrigin origin, int attempt) {
        return read(id).chain(current -> {
            if (ifMatch.isPresent() && ifMatch.get() != current.version()) {
                throw ScimException.preconditionFailed("User " + id + " is at version " + UserResources.etag(current)
                        + "; read it again");
            }
            ObjectNode patched = patcher.apply(UserResources.document(current), operations);
            UserProfile profile = requests.toProfile(patched);
            UserCommand command = UserCommand.replace(caller.connectionId(), id, profile, current.version(), origin);
            return dispatcher.dispatch(command).chain(outcome -> {
                boolean lostRace = outcome.status() == CommandOutcome.Status.REJECTED
                        && outcome.failure().reason() == CommandFailure.Reason.VERSION_MISMATCH && ifMatch.isEmpty();
                if (lostRace && attempt < PATCH_ATTEMPTS) {
                    return patchAttempt(id, operations, ifMatch, origin, attempt + 1);
                }
                return Uni.createFrom().item(OutcomeErrors.applied(outcome).user());
            });
        });
    }

    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(@PathParam("id") String id, @Context HttpHeaders headers,
            @Context HttpServerRequest http) {
        UserCommand command = UserCommand.delete(caller.connectionId(), id, ScimRequests.ifMatch(headers).orElse(null),
                ScimRequests.origin(caller, headers, http));
        return dispatcher.dispatch(command).map(outcome -> {
            OutcomeErrors.applied(outcome);
            return Response.noContent().build();
        });
    }

    private Uni<UserSnapshot> read(String id) {
        return ServiceAnswers.reaching("membership-service", membership.user(caller.connectionId(), id))
                .map(answer -> ServiceAnswers.resource(answer, UserSnapshot.class, "User " + id));
    }

    /** The user as the response shows it, with its groups when the projection includes them. */
    private Uni<Response> resource(Response.ResponseBuilder status, UserSnapshot user, ScimEndpoints endpoints,
            Projection projection) {
        return resource(status, user, endpoints, projection, true);
    }

    private Uni<Response> resource(Response.ResponseBuilder status, UserSnapshot user, ScimEndpoints endpoints,
            Projection projection, boolean mayBeInGroups) {
        List<String> ids = mayBeInGroups && projection.wants("groups") ? List.of(user.id()) : List.of();
        return userGroups.of(user.connectionId(), ids).map(groups -> status
                .header(HttpHeaders.ETAG, UserResources.etag(user))
                .type(ScimSchemas.MEDIA_TYPE)
                .entity(UserResources.render(user, groups.get(user.id()), endpoints, projection))
                .build());
    }
}
