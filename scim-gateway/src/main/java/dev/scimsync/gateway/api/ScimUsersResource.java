package dev.scimsync.gateway.api;

import dev.scimsync.gateway.auth.ScimCaller;
import dev.scimsync.gateway.scim.Projection;
import dev.scimsync.gateway.scim.RequestBodies;
import dev.scimsync.gateway.scim.ScimSchemas;
import dev.scimsync.gateway.scim.UserRepresentations;
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
import java.util.Optional;

/**
 * SCIM Users (RFC 7644 section 3): writes become commands for membership-service and are answered with
 * their committed outcome ({@link UserOperations}, shared with {@code /Bulk}); reads and searches are answered by
 * membership-service, rendered here. The read-only {@code groups} attribute comes from group-sync-service, asked
 * only when the response shows it.
 */
@Path("/scim/v2/Users")
@Produces({ScimSchemas.MEDIA_TYPE, MediaType.APPLICATION_JSON})
public class ScimUsersResource {

    private final ScimCaller caller;
    private final UserOperations users;
    private final RequestBodies bodies;
    private final UserSearch search;

    public ScimUsersResource(ScimCaller caller, UserOperations users, RequestBodies bodies, UserSearch search) {
        this.caller = caller;
        this.users = users;
        this.bodies = bodies;
        this.search = search;
    }

    @POST
    @Consumes({ScimSchemas.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public Uni<Response> create(byte[] body, @Context UriInfo uri, @Context HttpHeaders headers,
            @Context HttpServerRequest http, @QueryParam("attributes") String attributes,
            @QueryParam("excludedAttributes") String excludedAttributes) {
        return users.create(WriteContext.of(caller, uri, headers, http), bodies.readJson(body),
                Projection.of(attributes, excludedAttributes));
    }

    @GET
    @Path("/{id}")
    public Uni<Response> get(@PathParam("id") String id, @Context UriInfo uri, @Context HttpHeaders headers,
            @QueryParam("attributes") String attributes, @QueryParam("excludedAttributes") String excludedAttributes) {
        Optional<Long> notIfVersion = ScimRequests.ifNoneMatch(headers);
        return users.read(caller.connectionId(), id).chain(user -> {
            if (notIfVersion.isPresent() && notIfVersion.get() == user.version()) {
                return Uni.createFrom().item(
                        Response.notModified().header(HttpHeaders.ETAG, UserRepresentations.etag(user)).build());
            }
            return users.resource(Response.ok(), user, ScimRequests.endpoints(uri),
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
        return search.search(caller.connectionId(), SearchRequest.fromBody(bodies.readJson(body)),
                ScimRequests.endpoints(uri));
    }

    @PUT
    @Path("/{id}")
    @Consumes({ScimSchemas.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public Uni<Response> replace(@PathParam("id") String id, byte[] body, @Context UriInfo uri,
            @Context HttpHeaders headers, @Context HttpServerRequest http, @QueryParam("attributes") String attributes,
            @QueryParam("excludedAttributes") String excludedAttributes) {
        return users.replace(WriteContext.of(caller, uri, headers, http), id, bodies.readJson(body),
                ScimRequests.ifMatch(headers), Projection.of(attributes, excludedAttributes));
    }

    /** 200 with the resource: see {@link UserOperations#patch}. */
    @PATCH
    @Path("/{id}")
    @Consumes({ScimSchemas.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public Uni<Response> patch(@PathParam("id") String id, byte[] body, @Context UriInfo uri,
            @Context HttpHeaders headers, @Context HttpServerRequest http, @QueryParam("attributes") String attributes,
            @QueryParam("excludedAttributes") String excludedAttributes) {
        return users.patch(WriteContext.of(caller, uri, headers, http), id, bodies.readJson(body),
                ScimRequests.ifMatch(headers), Projection.of(attributes, excludedAttributes));
    }

    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(@PathParam("id") String id, @Context UriInfo uri, @Context HttpHeaders headers,
            @Context HttpServerRequest http) {
        return users.delete(WriteContext.of(caller, uri, headers, http), id, ScimRequests.ifMatch(headers));
    }
}
