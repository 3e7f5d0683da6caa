package dev.scimsync.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimsync.gateway.auth.ScimCaller;
import dev.scimsync.gateway.scim.Projection;
import dev.scimsync.gateway.scim.RequestBodies;
import dev.scimsync.gateway.scim.ScimSchemas;
import dev.scimsync.gateway.scim.UserRepresentations;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Optional;

/**
 * SCIM Users (RFC 7644 section 3): writes become commands for membership-service and are answered with
 * their committed outcome ({@link UserOperations}, shared with {@code /Bulk}); reads and searches are answered by
 * membership-service, rendered here. The read-only {@code groups} attribute comes from group-sync-service, asked
 * only when the response shows it. The endpoints are {@link ScimResourceEndpoints}'s, as Groups has them; the
 * read and the PATCH answer are the Users' own.
 */
@Path("/scim/v2/Users")
@Produces({ScimSchemas.MEDIA_TYPE, MediaType.APPLICATION_JSON})
public class ScimUsersResource extends ScimResourceEndpoints {

    private final UserOperations users;

    public ScimUsersResource(ScimCaller caller, UserOperations users, RequestBodies bodies, UserSearch search) {
        super(caller, bodies, users, search);
        this.users = users;
    }

    @Override
    Uni<Response> read(String id, UriInfo uri, Projection projection, Optional<Long> notIfVersion) {
        return users.read(caller.connectionId(), id).chain(user -> {
            if (notIfVersion.isPresent() && notIfVersion.get() == user.version()) {
                return Uni.createFrom().item(
                        Response.notModified().header(HttpHeaders.ETAG, UserRepresentations.etag(user)).build());
            }
            return users.resource(Response.ok(), user, ScimRequests.endpoints(uri), projection);
        });
    }

    /** 200 with the resource: see {@link UserOperations#patch}. */
    @Override
    Uni<Response> applyPatch(WriteContext context, String id, JsonNode body, Optional<Long> ifMatch,
            String attributes, String excludedAttributes) {
        return users.patch(context, id, body, ifMatch, Projection.of(attributes, excludedAttributes));
    }
}
