package dev.scimsync.gateway.membership;

import dev.scimsync.contracts.ScopedAdminTokens;
import dev.scimsync.contracts.TroubleshootingReport;
import dev.scimsync.contracts.internal.ConnectionSummary;
import dev.scimsync.contracts.internal.ScimTokenUse;
import dev.scimsync.contracts.internal.ScimTokenVerification;
import dev.scimsync.contracts.internal.VerifiedScimToken;
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

    /** 200 with a {@link VerifiedScimToken}, 401 for a token membership-service does not know. */
    @POST
    @Path("/scim-tokens/verify")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> verifyToken(ScimTokenVerification request);

    /** The ids of the SCIM tokens accepted since the last report (see auth.TokenUsage). */
    @POST
    @Path("/scim-tokens/used")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> reportTokenUse(ScimTokenUse use);

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

    /** 200 with a {@link dev.scimsync.contracts.query.UserNameLookups.Answer}: the users of many userName lookups. */
    @POST
    @Path("/user-name-lookups")
    Uni<Response> lookUpUserNames(dev.scimsync.contracts.query.UserNameLookups lookups);

    /** By id or by name: 200 with a {@link ConnectionSummary}, 404 for an unknown connection. */
    @GET
    @Path("/connections/{connection}")
    Uni<Response> connection(@PathParam("connection") String idOrName);

    @GET
    @Path("/commands/{commandId}")
    Uni<Response> commandOutcome(@PathParam("commandId") String commandId);
}
