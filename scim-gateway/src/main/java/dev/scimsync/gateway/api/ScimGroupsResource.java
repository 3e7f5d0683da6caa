package dev.scimsync.gateway.api;

import dev.scimsync.contracts.GroupCommand;
import dev.scimsync.gateway.auth.ScimCaller;
import dev.scimsync.gateway.scim.GroupRepresentations;
import dev.scimsync.gateway.scim.Projection;
import dev.scimsync.gateway.scim.RequestBodies;
import dev.scimsync.gateway.scim.ScimSchemas;
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
 * SCIM Groups (RFC 7644 section 3), owned by group-sync-service: writes become {@link GroupCommand}s and are
 * answered from their committed outcome ({@link GroupOperations}, shared with {@code /Bulk}); reads and searches
 * are answered by group-sync-service, rendered here.
 * <p>
 * A group may have tens of thousands of members, so they are loaded only when the response shows them
 * ({@code excludedAttributes=members} and {@code attributes=displayName} never load them).
 * <p>
 * PATCH answers {@code 204 No Content} (with the new ETag) when the request names neither
 * {@code attributes} nor {@code excludedAttributes}, and 200 with the projected resource when it names either
 * (see {@link GroupOperations#patch}).
 */
@Path("/scim/v2/Groups")
@Produces({ScimSchemas.MEDIA_TYPE, MediaType.APPLICATION_JSON})
public class ScimGroupsResource {

    private final ScimCaller caller;
    private final GroupOperations groups;
    private final RequestBodies bodies;
    private final GroupSearch search;

    public ScimGroupsResource(ScimCaller caller, GroupOperations groups, RequestBodies bodies, GroupSearch search) {
        this.caller = caller;
        this.groups = groups;
        this.bodies = bodies;
        this.search = search;
    }

    @POST
    @Consumes({ScimSchemas.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public Uni<Response> create(byte[] body, @Context UriInfo uri, @Context HttpHeaders headers,
            @Context HttpServerRequest http, @QueryParam("attributes") String attributes,
            @QueryParam("excludedAttributes") String excludedAttributes) {
        return groups.create(WriteContext.of(caller, uri, headers, http), bodies.readJson(body),
                Projection.of(attributes, excludedAttributes));
    }

    @GET
    @Path("/{id}")
    public Uni<Response> get(@PathParam("id") String id, @Context UriInfo uri, @Context HttpHeaders headers,
            @QueryParam("attributes") String attributes, @QueryParam("excludedAttributes") String excludedAttributes) {
        Optional<Long> notIfVersion = ScimRequests.ifNoneMatch(headers);
        Projection projection = Projection.of(attributes, excludedAttributes);
        return groups.read(caller.connectionId(), id, projection.wants("members")).map(entry -> {
            if (notIfVersion.isPresent() && notIfVersion.get() == entry.group().version()) {
                return Response.notModified().header(HttpHeaders.ETAG, GroupRepresentations.etag(entry.group()))
                        .build();
            }
            return GroupOperations.resource(Response.ok(), entry, ScimRequests.endpoints(uri), projection);
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

    /** POST /Groups/.search (RFC 7644 section 3.4.3): the same query, in a body. */
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
        return groups.replace(WriteContext.of(caller, uri, headers, http), id, bodies.readJson(body),
                ScimRequests.ifMatch(headers), Projection.of(attributes, excludedAttributes));
    }

    /** See the class comment for when PATCH answers 204 and when 200. */
    @PATCH
    @Path("/{id}")
    @Consumes({ScimSchemas.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public Uni<Response> patch(@PathParam("id") String id, byte[] body, @Context UriInfo uri,
            @Context HttpHeaders headers, @Context HttpServerRequest http, @QueryParam("attributes") String attributes,
            @QueryParam("excludedAttributes") String excludedAttributes) {
        Optional<Projection> shown = attributes != null || excludedAttributes != null
                ? Optional.of(Projection.of(attributes, excludedAttributes)) : Optional.empty();
        return groups.patch(WriteContext.of(caller, uri, headers, http), id, bodies.readJson(body),
                ScimRequests.ifMatch(headers), shown);
    }

    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(@PathParam("id") String id, @Context UriInfo uri, @Context HttpHeaders headers,
            @Context HttpServerRequest http) {
        return groups.delete(WriteContext.of(caller, uri, headers, http), id, ScimRequests.ifMatch(headers));
    }
}
