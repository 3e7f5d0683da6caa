package dev.scimsync.groupsync.api;

import dev.scimsync.runtime.BoundedQueries;
import dev.scimsync.contracts.internal.Problem;
import dev.scimsync.contracts.internal.UserIds;
import dev.scimsync.contracts.internal.UserNameGroups;
import dev.scimsync.contracts.query.ResourceQuery;
import dev.scimsync.groupsync.persistence.GroupQueries;
import dev.scimsync.groupsync.persistence.ProcessedCommands;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The gateway's reads: groups (members only when asked for), searches, the committed outcome of a command,
 * and the groups of users (for the SCIM User's {@code groups} attribute).
 */
@Path("/internal/v1")
@Produces(MediaType.APPLICATION_JSON)
public class GroupsResource {

    private final GroupQueries queries;
    private final ProcessedCommands processed;

    public GroupsResource(GroupQueries queries, ProcessedCommands processed) {
        this.queries = queries;
        this.processed = processed;
    }

    @GET
    @Path("/connections/{connectionId}/groups/{id}")
    public Uni<Response> group(@PathParam("connectionId") String connectionId, @PathParam("id") String id,
            @QueryParam("members") boolean members) {
        UUID groupId = uuid(id);
        if (groupId == null) {
            return notFound("Group " + id + " not found");
        }
        return queries.group(connectionId, groupId, members).map(entry -> entry
                .map(found -> Response.ok(found).build())
                .orElseGet(() -> notFoundResponse("Group " + id + " not found")));
    }

    @POST
    @Path("/connections/{connectionId}/groups/query")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> query(@PathParam("connectionId") String connectionId, ResourceQuery query,
            @QueryParam("members") boolean members) {
        if (query == null) {
            return Uni.createFrom().item(error(400, "a query is required"));
        }
        // Deferred, so a criterion that cannot be turned into SQL fails the Uni and becomes a 400.
        Uni<Response> answer = Uni.createFrom().deferred(() -> queries.query(connectionId, query, members))
                .map(page -> Response.ok(page).build())
                .onFailure(IllegalArgumentException.class).recoverWithItem(e -> error(400, e.getMessage()));
        return BoundedQueries.answeringRefusals(answer, GroupsResource::error);
    }

    @GET
    @Path("/commands/{commandId}")
    public Uni<Response> outcome(@PathParam("commandId") String commandId) {
        UUID id = uuid(commandId);
        if (id == null) {
            return notFound("no command " + commandId);
        }
        return processed.find(id).map(outcome -> outcome.map(o -> Response.ok(o).build())
                .orElseGet(() -> notFoundResponse("no outcome for command " + commandId + " yet")));
    }

    @POST
    @Path("/connections/{connectionId}/users/groups")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Map<String, List<dev.scimsync.contracts.GroupMember>>> groupsOfUsers(
            @PathParam("connectionId") String connectionId, UserIds request) {
        List<UUID> ids = request == null || request.userIds() == null ? List.of()
                : request.userIds().stream().map(GroupsResource::uuid).filter(java.util.Objects::nonNull).toList();
        return queries.groupsOfUsers(connectionId, ids);
    }

    /** 200 with the {@code UserNameGroups} of the connection's user of that userName; 400 without a userName. */
    @POST
    @Path("/connections/{connectionId}/users/groups-by-user-name")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> groupsOfUserName(@PathParam("connectionId") String connectionId,
            UserNameGroups.Request request) {
        if (request == null || request.userName() == null || request.userName().isEmpty()) {
            return Uni.createFrom().item(error(400, "a userName is required"));
        }
        return queries.groupsOfUserName(connectionId, request.userName()).map(found -> Response.ok(found).build());
    }

    static UUID uuid(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }

    static Response error(int status, String detail) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(new Problem(status, detail)).build();
    }

    private static Response notFoundResponse(String detail) {
        return error(404, detail);
    }

    private static Uni<Response> notFound(String detail) {
        return Uni.createFrom().item(notFoundResponse(detail));
    }
}
