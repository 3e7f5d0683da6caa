package dev.scimsync.groupsync.membership;

import dev.scimsync.contracts.internal.ConnectionSummary;
import dev.scimsync.contracts.internal.DirectTeam;
import dev.scimsync.contracts.internal.KnownUser;
import dev.scimsync.contracts.internal.ProvisioningErrorReport;
import dev.scimsync.contracts.internal.UserLookup;
import dev.scimsync.serviceauth.ServiceCredentials;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * membership-service's internal API, for what group-sync does not own: connections and their linked
 * organizations, users, the provisioning-errors view, and team placements made outside groups. Answers are
 * plain responses (the default exception mapping is off): a 404 is an ordinary answer here.
 */
@RegisterProvider(ServiceCredentials.ToMembershipService.class)
@RegisterRestClient(configKey = "membership")
@Path("/internal/v1")
public interface MembershipDirectory {

    /** By id or by name: 200 with a {@link ConnectionSummary}, 404 for an unknown connection. */
    @GET
    @Path("/connections/{connection}")
    Uni<Response> connection(@PathParam("connection") String idOrName);

    /** The users of the connection among {@code ids}, as a list of {@link KnownUser}. */
    @POST
    @Path("/connections/{connectionId}/users/lookup")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> lookupUsers(@PathParam("connectionId") String connectionId, UserLookup lookup);

    @POST
    @Path("/connections/{connectionId}/provisioning-errors")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> recordError(@PathParam("connectionId") String connectionId, ProvisioningErrorReport error);

    /** The organization's teams with their direct (not group-derived) active members: a list of {@link DirectTeam}. */
    @GET
    @Path("/organizations/{organization}/teams")
    Uni<Response> directTeams(@PathParam("organization") String organization);
}
