package dev.scimsync.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimsync.contracts.GroupCommand;
import dev.scimsync.gateway.auth.ScimCaller;
import dev.scimsync.gateway.scim.GroupRepresentations;
import dev.scimsync.gateway.scim.Projection;
import dev.scimsync.gateway.scim.RequestBodies;
import dev.scimsync.gateway.scim.ScimSchemas;
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
 * The endpoints are {@link ScimResourceEndpoints}'s, as Users has them; the read and the PATCH answer are the
 * Groups' own.
 */
@Path("/scim/v2/Groups")
@Produces({ScimSchemas.MEDIA_TYPE, MediaType.APPLICATION_JSON})
public class ScimGroupsResource extends ScimResourceEndpoints {

    private final GroupOperations groups;

    public ScimGroupsResource(ScimCaller caller, GroupOperations groups, RequestBodies bodies, GroupSearch search) {
        super(ResourceType.GROUP, caller, bodies, groups, search);
        this.groups = groups;
    }

    @Override
    Uni<Response> read(String id, UriInfo uri, Projection projection, Optional<Long> notIfVersion) {
        return groups.read(caller.connectionId(), id, projection.wants("members")).map(entry -> {
            if (notIfVersion.isPresent() && notIfVersion.get() == entry.group().version()) {
                return Response.notModified().header(HttpHeaders.ETAG, GroupRepresentations.etag(entry.group()))
                        .build();
            }
            return GroupOperations.resource(Response.ok(), entry, ScimRequests.endpoints(uri), projection);
        });
    }

    /** See the class comment for when PATCH answers 204 and when 200. */
    @Override
    Uni<Response> applyPatch(WriteContext context, String id, JsonNode body, Optional<Long> ifMatch,
            String attributes, String excludedAttributes) {
        Optional<Projection> shown = attributes != null || excludedAttributes != null
                ? Optional.of(Projection.of(attributes, excludedAttributes)) : Optional.empty();
        return groups.patch(context, id, body, ifMatch, shown);
    }
}
