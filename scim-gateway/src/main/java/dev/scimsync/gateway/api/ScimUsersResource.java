package dev.scimsync.gateway.api;

import dev.scimsync.gateway.auth.ScimCaller;
import dev.scimsync.gateway.scim.Projection;
import dev.scimsync.gateway.scim.RequestBodies;
import dev.scimsync.gateway.scim.ScimSchemas;
import dev.scimsync.gateway.scim.UserRepresentations;
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
 * SCIM Users (RFC 7644 section 3): writes become commands for membership-service and are answered with
 * their committed outcome ({@link UserOperations}, shared with {@code /Bulk}); reads and searches are answered by
 * membership-service, rendered here. The read-only {@code groups} attribute comes from group-sync-service, asked
 * only when the response shows it. Create, list, {@code .search}, replace and delete are the endpoints Groups has
 * too ({@link ScimResourceEndpoints}); the read and PATCH are the Users' own.
 */
@Path("/scim/v2/Users")
@Produces({ScimSchemas.MEDIA_TYPE, MediaType.APPLICATION_JSON})
public class ScimUsersResource extends ScimResourceEndpoints {

    private final UserOperations users;

    public ScimUsersResource(ScimCaller caller, UserOperations users, RequestBodies bodies, UserSearch search) {
        super(caller, bodies, users, search);
        this.users = users;
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
}
