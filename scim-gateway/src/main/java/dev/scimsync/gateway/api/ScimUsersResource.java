package dev.scimsync.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimsync.contracts.UserSnapshot;
import dev.scimsync.gateway.auth.ScimCaller;
import dev.scimsync.gateway.scim.Projection;
import dev.scimsync.gateway.scim.RequestBodies;
import dev.scimsync.gateway.scim.ScimSchemas;
import dev.scimsync.gateway.scim.UserRepresentations;
import dev.scimsync.gateway.scim.schema.ResourceType;
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
        super(ResourceType.USER, caller, bodies, users, search);
        this.users = users;
    }

    /** The user and its groups are asked at once: the id names both. */
    @Override
    Uni<Response> read(String id, UriInfo uri, Projection projection, Optional<Long> notIfVersion) {
        String connectionId = caller.connectionId();
        return Uni.combine().all().unis(users.read(connectionId, id), users.groups(connectionId, id, projection))
                .asTuple().map(both -> {
                    UserSnapshot user = both.getItem1();
                    if (notIfVersion.isPresent() && notIfVersion.get() == user.version()) {
                        return Response.notModified().header(HttpHeaders.ETAG, UserRepresentations.etag(user)).build();
                    }
                    return users.resource(Response.ok(), user, both.getItem2().get(user.id()),
                            ScimRequests.endpoints(uri), projection);
                });
    }

    /** 200 with the resource: see {@link UserOperations#patch}. */
    @Override
    Uni<Response> applyPatch(WriteContext context, String id, JsonNode body, Optional<Long> ifMatch,
            String attributes, String excludedAttributes) {
        return users.patch(context, id, body, ifMatch, Projection.of(attributes, excludedAttributes));
    }
}
