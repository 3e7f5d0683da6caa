package dev.scimsync.groupsync.membership;

import dev.scimsync.serviceauth.ServiceCredentials;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
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

    /** @param organizations names of the organizations linked to the connection */
    record Connection(String id, String name, boolean scimEnabled, List<String> organizations) {
    }

    record UserLookup(List<String> ids) {
    }

    record KnownUser(String id, String userName, boolean active, long version) {
    }

    record ProvisioningError(String commandId, String requestId, String operation, String subject, String reason,
            String detail, String suggestedFix) {
    }

    record DirectMember(String id, String userName, String source) {
    }

    /** A team with the members placed in it by user attributes, sign-in groups or by hand. */
    record DirectTeam(String name, List<DirectMember> members) {
    }

    /** By id or by name. */
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
    Uni<Response> recordError(@PathParam("connectionId") String connectionId, ProvisioningError error);

    /** The organization's teams with their direct (not group-derived) active members. */
    @GET
    @Path("/organizations/{organization}/teams")
    Uni<Response> directTeams(@PathParam("organization") String organization);
}
