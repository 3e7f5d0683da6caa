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
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
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
 * <p>
 * Create, list, {@code .search}, replace and delete are the endpoints Users has too
 * ({@link ScimResourceEndpoints}); the read and PATCH are the Groups' own.
 */
@Path("/scim/v2/Groups")
@Produces({ScimSchemas.MEDIA_TYPE, MediaType.APPLICATION_JSON})
public class ScimGroupsResource extends ScimResourceEndpoints {

    private final GroupOperations groups;

    public ScimGroupsResource(ScimCaller caller, GroupOperations groups, RequestBodies bodies, GroupSearch search) {
        super(caller, bodies, groups, search);
        this.groups = groups;
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
}
