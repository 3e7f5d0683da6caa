package dev.scimsync.groupsync.api;

import dev.scimsync.contracts.internal.ConnectionSummary;
import dev.scimsync.groupsync.domain.TeamMapping;
import dev.scimsync.groupsync.membership.Connections;
import dev.scimsync.groupsync.persistence.GroupRow;
import dev.scimsync.groupsync.persistence.GroupStore;
import dev.scimsync.groupsync.persistence.TeamMappings;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.HashSet;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Admin API (behind the gateway's {@code /admin/v1}): explicit group-to-team mappings, for IdPs that cannot
 * name groups {@code organization:team}. A mapping wins over the name; removing it falls back to the name.
 * Members follow at once, since team membership is derived from the group's current mapping.
 */
@Path("/internal/v1/admin/connections/{connection}")
@Produces(MediaType.APPLICATION_JSON)
public class GroupMappingsResource {

    public record MappingRequest(String organization, String team, String role) {
    }

    public record MappingView(String groupId, String displayName, String organization, String team, String role) {
        static MappingView of(TeamMappings.Mapping mapping) {
            return new MappingView(mapping.groupId(), mapping.displayName(), mapping.target().organization(),
                    mapping.target().team(), mapping.target().role());
        }
    }

    private final GroupStore groups;
    private final TeamMappings mappings;
    private final Connections connections;

    public GroupMappingsResource(GroupStore groups, TeamMappings mappings, Connections connections) {
        this.groups = groups;
        this.mappings = mappings;
        this.connections = connections;
    }

    @GET
    @Path("/group-mappings")
    public Uni<Response> list(@PathParam("connection") String connection) {
        return withConnection(connection, found -> mappings.explicitMappings(found.id())
                .map(explicit -> Response.ok(explicit.stream().map(MappingView::of).toList()).build()));
    }

    /** Every group of the connection with the team it fills and why, explicit mappings or not. */
    @GET
    @Path("/groups")
    public Uni<Response> groups(@PathParam("connection") String connection) {
        return withConnection(connection, found -> mappings.placements(found.id())
                .map(placements -> Response.ok(placements).build()));
    }

    @GET
    @Path("/group-mappings/{groupId}")
    public Uni<Response> get(@PathParam("connection") String connection, @PathParam("groupId") String groupId) {
        return withGroup(connection, groupId, (found, group) -> mappings.explicitMappings(found.id())
                .map(explicit -> explicit.stream().filter(m -> m.groupId().equals(group.id.toString())).findFirst()
                        .map(m -> Response.ok(MappingView.of(m)).build())
                        .orElseGet(() -> GroupsResource.error(404, "group " + groupId + " has no explicit mapping; "
                                + "it maps by its name"))));
    }

    @PUT
    @Path("/group-mappings/{groupId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> put(@PathParam("connection") String connection, @PathParam("groupId") String groupId,
            MappingRequest request) {
        if (request == null || blank(request.organization()) || blank(request.team())) {
            return Uni.createFrom().item(GroupsResource.error(400, "organization and team are required"));
        }
        Optional<String> role = TeamMapping.role(request.role());
        if (role.isEmpty()) {
            return Uni.createFrom().item(GroupsResource.error(400, "role must be member, editor or owner"));
        }
        return withGroup(connection, groupId, (found, group) -> {
            Optional<String> organization = TeamMapping.linked(request.organization().trim(),
                    new HashSet<>(found.organizations()));
            if (organization.isEmpty()) {
                return Uni.createFrom().item(GroupsResource.error(400, "organization " + request.organization()
                        + " is not linked to connection " + found.name()));
            }
            TeamMapping.Target target = new TeamMapping.Target(organization.get(), request.team().trim(), role.get());
            return mappings.map(found.id(), group.id, target)
                    .map(ignored -> Response.ok(new MappingView(group.id.toString(), group.displayName,
                            target.organization(), target.team(), target.role())).build());
        });
    }

    @DELETE
    @Path("/group-mappings/{groupId}")
    public Uni<Response> delete(@PathParam("connection") String connection, @PathParam("groupId") String groupId) {
        return withGroup(connection, groupId, (found, group) -> {
            // Without the explicit mapping the group maps by its name again.
            TeamMapping.Resolution byName = TeamMapping.resolve(group.displayName, Optional.empty(),
                    new HashSet<>(found.organizations()));
            return mappings.unmap(found.id(), group.id, byName).map(existed -> existed ? Response.noContent().build()
                    : GroupsResource.error(404, "group " + groupId + " has no explicit mapping"));
        });
    }

    private Uni<Response> withConnection(String connection,
            Function<ConnectionSummary, Uni<Response>> action) {
        return connections.find(connection).chain(found -> found.isEmpty()
                ? Uni.createFrom().item(GroupsResource.error(404, "connection " + connection + " not found"))
                : action.apply(found.get()));
    }

    private Uni<Response> withGroup(String connection, String groupId,
            BiFunction<ConnectionSummary, GroupRow, Uni<Response>> action) {
        UUID id = GroupsResource.uuid(groupId);
        return withConnection(connection, found -> (id == null ? Uni.createFrom().item(Optional.<GroupRow>empty())
                : groups.find(found.id(), id)).chain(group -> group.isEmpty()
                        ? Uni.createFrom().item(GroupsResource.error(404, "group " + groupId
                                + " not found in connection " + connection))
                        : action.apply(found, group.get())));
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
