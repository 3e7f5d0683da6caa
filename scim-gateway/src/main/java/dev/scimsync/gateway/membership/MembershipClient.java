package dev.scimsync.gateway.membership;

import dev.scimsync.contracts.ScopedAdminTokens;
import dev.scimsync.contracts.TroubleshootingReport;
import dev.scimsync.serviceauth.ServiceCredentials;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * membership-service's internal API. Answers come back as plain responses (the default exception
 * mapping is off), because a 404 or 401 from there is an ordinary answer here.
 */
@RegisterProvider(ServiceCredentials.ToMembershipService.class)
@RegisterRestClient(configKey = "membership")
@Path("/internal/v1")
public interface MembershipClient {

    record TokenVerification(String token) {
    }

    record VerifiedToken(String tokenId, String connectionId, String connectionName, boolean scimEnabled) {
    }

    @POST
    @Path("/scim-tokens/verify")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> verifyToken(TokenVerification request);

    /** The ids of the SCIM tokens accepted since the last report (see auth.TokenUsage). */
    record TokenUse(java.util.List<String> tokenIds) {
    }

    @POST
    @Path("/scim-tokens/used")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> reportTokenUse(TokenUse use);

    /** What this instance saw of mis-configured IdPs since its last report (troubleshooting.Misconfigurations). */
    @POST
    @Path("/troubleshooting/reports")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> reportMisconfigurations(TroubleshootingReport report);

    /** 200 with {@link ScopedAdminTokens.Verified} for a live scoped admin token; 401 otherwise. */
    @POST
    @Path("/admin-tokens/verify")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> verifyAdminToken(ScopedAdminTokens.Check check);

    @GET
    @Path("/connections/{connectionId}/users/{id}")
    Uni<Response> user(@PathParam("connectionId") String connectionId, @PathParam("id") String id);

    @POST
    @Path("/connections/{connectionId}/users/query")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> queryUsers(@PathParam("connectionId") String connectionId,
            dev.scimsync.contracts.query.ResourceQuery query);

    /**
     * A connection as membership-service answers for it by name or id (more fields than these come): its
     * organizations decide whether an admin scoped to one may reach it.
     */
    record ConnectionRef(String id, String name, java.util.List<String> organizations) {
    }

    @GET
    @Path("/connections/{connection}")
    Uni<Response> connection(@PathParam("connection") String idOrName);

    @GET
    @Path("/commands/{commandId}")
    Uni<Response> commandOutcome(@PathParam("commandId") String commandId);
}
