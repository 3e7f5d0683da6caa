package dev.scimsync.gateway.groupsync;

import dev.scimsync.serviceauth.ServiceCredentials;
import dev.scimsync.contracts.internal.UserIds;
import dev.scimsync.contracts.internal.UserNameGroups;
import dev.scimsync.contracts.query.ResourceQuery;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * group-sync-service's internal API. Answers come back as plain responses (the default exception mapping
 * is off), because a 404 from there is an ordinary answer here. {@code members=false} keeps a group's
 * members (up to tens of thousands) out of answers that do not show them.
 */
@RegisterProvider(ServiceCredentials.ToGroupSyncService.class)
@RegisterRestClient(configKey = "group-sync")
@Path("/internal/v1")
public interface GroupSyncClient {

    /** 200 with a {@code GroupPage.Entry}, 404 for an unknown group. */
    @GET
    @Path("/connections/{connectionId}/groups/{id}")
    Uni<Response> group(@PathParam("connectionId") String connectionId, @PathParam("id") String id,
            @QueryParam("members") boolean members);

    /** 200 with a {@code GroupPage}, 400 for a filter it cannot evaluate. */
    @POST
    @Path("/connections/{connectionId}/groups/query")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> queryGroups(@PathParam("connectionId") String connectionId, @QueryParam("members") boolean members,
            ResourceQuery query);

    /** 200 with an object from user id to the groups it is a member of; users in no group are absent. */
    @POST
    @Path("/connections/{connectionId}/users/groups")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> groupsOfUsers(@PathParam("connectionId") String connectionId, UserIds users);

    /** 200 with the {@code UserNameGroups} of the connection's user of that userName (no id when it knows none). */
    @POST
    @Path("/connections/{connectionId}/users/groups-by-user-name")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> groupsOfUserName(@PathParam("connectionId") String connectionId, UserNameGroups.Request userName);

    /** 200 with the committed {@code CommandOutcome} of a group command, 404 if it was not committed. */
    @GET
    @Path("/commands/{commandId}")
    Uni<Response> commandOutcome(@PathParam("commandId") String commandId);
}
