package dev.scimsync.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimsync.gateway.auth.ScimCaller;
import dev.scimsync.gateway.scim.Projection;
import dev.scimsync.gateway.scim.RequestBodies;
import dev.scimsync.gateway.scim.ResourceIds;
import dev.scimsync.gateway.scim.ScimEndpoints;
import dev.scimsync.gateway.scim.ScimSchemas;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Optional;

/**
 * The endpoints of SCIM Users and Groups ({@link ScimUsersResource}, {@link ScimGroupsResource}), which RFC 7644
 * gives both alike: create, read, list, {@code .search}, replace, PATCH and delete. Writes are handed to the
 * resource type's {@link Writes}, lists and searches to its {@link Search}; what really differs between the two
 * types is each resource class's own: the read ({@link #read}: where the ETag comes from, whether members are
 * loaded) and PATCH ({@link #applyPatch}: 200 for a user; 204 for a group unless the request asks for
 * attributes), with the class-level {@code @Path} and {@code @Produces}.
 */
public abstract class ScimResourceEndpoints {

    /** A resource type's writes, as the SCIM endpoints and {@code /Bulk} send them. */
    interface Writes {

        /** 201 with the created resource, its {@code Location} and {@code ETag}. */
        Uni<Response> create(WriteContext context, JsonNode body, Projection projection);

        Uni<Response> replace(WriteContext context, String id, JsonNode body, Optional<Long> ifMatch,
                Projection projection);

        /** 204. */
        Uni<Response> delete(WriteContext context, String id, Optional<Long> ifMatch);
    }

    /** A resource type's list and search (RFC 7644 section 3.4.2), paged by index or by cursor. */
    interface Search {

        Uni<Response> search(String connectionId, SearchRequest request, ScimEndpoints endpoints);
    }

    protected final ScimCaller caller;
    private final RequestBodies bodies;
    private final ResourceType type;
    private final Writes writes;
    private final Search search;

    ScimResourceEndpoints(ResourceType type, ScimCaller caller, RequestBodies bodies, Writes writes, Search search) {
        this.type = type;
        this.caller = caller;
        this.bodies = bodies;
        this.writes = writes;
        this.search = search;
    }

    @POST
    @Consumes({ScimSchemas.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public Uni<Response> create(byte[] body, @Context UriInfo uri, @Context HttpHeaders headers,
            @Context HttpServerRequest http, @QueryParam("attributes") String attributes,
            @QueryParam("excludedAttributes") String excludedAttributes) {
        return writes.create(WriteContext.of(caller, uri, headers, http), bodies.readJson(body),
                Projection.of(attributes, excludedAttributes));
    }

    @GET
    @Path("/{id}")
    public Uni<Response> get(@PathParam("id") String id, @Context UriInfo uri, @Context HttpHeaders headers,
            @QueryParam("attributes") String attributes, @QueryParam("excludedAttributes") String excludedAttributes) {
        return read(ResourceIds.existing(id, type), uri, Projection.of(attributes, excludedAttributes),
                ScimRequests.ifNoneMatch(headers));
    }

    /**
     * The resource, 200 with it as projected, or 304 with its ETag when it is at the version
     * {@code If-None-Match} names.
     */
    abstract Uni<Response> read(String id, UriInfo uri, Projection projection, Optional<Long> notIfVersion);

    @GET
    public Uni<Response> list(@QueryParam("filter") String filter, @QueryParam("startIndex") String startIndex,
            @QueryParam("count") String count, @QueryParam("sortBy") String sortBy,
            @QueryParam("sortOrder") String sortOrder, @QueryParam("attributes") String attributes,
            @QueryParam("excludedAttributes") String excludedAttributes, @Context UriInfo uri) {
        return search.search(caller.connectionId(), SearchRequest.fromQuery(filter, startIndex, count, sortBy, sortOrder,
                Projection.of(attributes, excludedAttributes), ScimRequests.cursor(uri)), ScimRequests.endpoints(uri));
    }

    /** POST .search (RFC 7644 section 3.4.3): the same query, in a body. */
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
        return writes.replace(WriteContext.of(caller, uri, headers, http), ResourceIds.existing(id, type),
                bodies.readJson(body),
                ScimRequests.ifMatch(headers), Projection.of(attributes, excludedAttributes));
    }

    @PATCH
    @Path("/{id}")
    @Consumes({ScimSchemas.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public Uni<Response> patch(@PathParam("id") String id, byte[] body, @Context UriInfo uri,
            @Context HttpHeaders headers, @Context HttpServerRequest http, @QueryParam("attributes") String attributes,
            @QueryParam("excludedAttributes") String excludedAttributes) {
        return applyPatch(WriteContext.of(caller, uri, headers, http), ResourceIds.existing(id, type),
                bodies.readJson(body),
                ScimRequests.ifMatch(headers), attributes, excludedAttributes);
    }

    /**
     * The PATCH, answered as the resource type answers it.
     *
     * @param attributes          the {@code attributes} query parameter, or null
     * @param excludedAttributes  the {@code excludedAttributes} query parameter, or null
     */
    abstract Uni<Response> applyPatch(WriteContext context, String id, JsonNode body, Optional<Long> ifMatch,
            String attributes, String excludedAttributes);

    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(@PathParam("id") String id, @Context UriInfo uri, @Context HttpHeaders headers,
            @Context HttpServerRequest http) {
        return writes.delete(WriteContext.of(caller, uri, headers, http), ResourceIds.existing(id, type),
                ScimRequests.ifMatch(headers));
    }
}
