package dev.scimsync.membership.api.admin;

import dev.scimsync.membership.domain.Role;
import dev.scimsync.membership.persistence.InvitationEntity;
import dev.scimsync.runtime.StoredTime;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/** Admin API: invitations, accepted at the invitee's first sign-in (the member's source is then "invite"). */
@Path("/internal/v1/admin/organizations/{org}/invitations")
public class AdminInvitationsResource {

    private final Clock clock;

    public AdminInvitationsResource(Clock clock) {
        this.clock = clock;
    }

    public record NewInvitation(String email, String role) {
    }

    public record InvitationView(String email, String role, Instant createdAt) {
    }

    @POST
    @WithTransaction
    public Uni<Response> invite(@PathParam("org") String org, NewInvitation request) {
        if (request == null || request.email() == null || !request.email().contains("@")) {
            return AdminErrors.uni(400, "'email' is required");
        }
        String role;
        try {
            role = (request.role() == null ? Role.MEMBER : Role.fromWireName(request.role())).wireName();
        } catch (IllegalArgumentException e) {
            return AdminErrors.uni(400, "'role' must be member, editor or owner");
        }
        return AdminLookups.withOrganization(org, organization -> InvitationEntity.count("organizationId = ?1 and lower(email) = lower(?2)", organization.id,
                    request.email()).chain(existing -> {
                if (existing > 0) {
                    return AdminErrors.uni(409, request.email() + " is already invited to " + org);
                }
                InvitationEntity invitation = new InvitationEntity();
                invitation.id = UUID.randomUUID();
                invitation.organizationId = organization.id;
                invitation.email = request.email().trim();
                invitation.role = role;
                invitation.createdAt = StoredTime.now(clock);
                return invitation.persist().replaceWith(Response.status(201)
                        .entity(new InvitationView(invitation.email, invitation.role, invitation.createdAt)).build());
            }));
    }

    @GET
    @WithSession
    public Uni<Response> list(@PathParam("org") String org) {
        return AdminLookups.withOrganization(org, organization -> InvitationEntity.<InvitationEntity>list("organizationId = ?1 order by createdAt", organization.id)
                        .map(invitations -> Response.ok(invitations.stream()
                                .map(i -> new InvitationView(i.email, i.role, i.createdAt)).toList()).build()));
    }
}
