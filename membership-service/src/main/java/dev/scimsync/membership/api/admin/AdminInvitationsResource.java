package dev.scimsync.membership.api.admin;

import dev.scimsync.membership.domain.Role;
import dev.scimsync.membership.persistence.InvitationEntity;
import dev.scimsync.membership.persistence.MemberEntity;
import dev.scimsync.runtime.StoredTime;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Admin API: invitations, accepted at the invitee's first sign-in (the member's source is then "invite") until they
 * expire ({@code membership.invitations.valid-for}). An admin revokes one that should not be accepted; inviting
 * again an address whose invitation expired renews it.
 */
@Path("/internal/v1/admin/organizations/{org}/invitations")
public class AdminInvitationsResource {

    private final Clock clock;
    private final Duration validFor;

    public AdminInvitationsResource(Clock clock,
            @ConfigProperty(name = "membership.invitations.valid-for") Duration validFor) {
        this.clock = clock;
        this.validFor = validFor;
    }

    public record NewInvitation(String email, String role) {
    }

    /** {@code state}: {@code pending}, or {@code expired} (never accepted; invite again to renew it). */
    public record InvitationView(String email, String role, Instant createdAt, Instant expiresAt, String state) {

        static InvitationView of(InvitationEntity invitation, Instant now) {
            return new InvitationView(invitation.email, invitation.role, invitation.createdAt, invitation.expiresAt,
                    invitation.expired(now) ? "expired" : "pending");
        }
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
        Instant now = StoredTime.now(clock);
        String email = request.email().trim();
        // A member already - whatever made them - is not invited: accepted, the invitation would take the membership
        // from its source (the IdP's SCIM then took it back at its next update), and to add by hand answers the same.
        return AdminLookups.withOrganization(org, organization -> MemberEntity.ofAddress(organization.id, email)
                .firstResult().chain(member -> member != null
                        ? AdminErrors.uni(409, email + " is already a member of " + org + " (source " + member.source
                                + ")")
                        : invite(org, organization.id, email, role, now)));
    }

    private Uni<Response> invite(String org, UUID organizationId, String email, String role, Instant now) {
        return InvitationEntity.<InvitationEntity>find(
                        "organizationId = ?1 and lower(email) = lower(?2)", organizationId, email)
                .firstResult().chain(existing -> {
                    if (existing != null && !existing.expired(now)) {
                        return AdminErrors.uni(409, email + " is already invited to " + org + " (until "
                                + existing.expiresAt + "); revoke the invitation first to change it");
                    }
                    // An expired invitation is renewed in place: the same row, sent again.
                    InvitationEntity invitation = existing != null ? existing : new InvitationEntity();
                    if (existing == null) {
                        invitation.id = UUID.randomUUID();
                        invitation.organizationId = organizationId;
                    }
                    invitation.email = email;
                    invitation.role = role;
                    invitation.createdAt = now;
                    invitation.expiresAt = now.plus(validFor);
                    return invitation.persist().replaceWith(Response.status(201)
                            .entity(InvitationView.of(invitation, now)).build());
                });
    }

    @GET
    @WithSession
    public Uni<Response> list(@PathParam("org") String org) {
        Instant now = StoredTime.now(clock);
        return AdminLookups.withOrganization(org, organization -> InvitationEntity.<InvitationEntity>list(
                        "organizationId = ?1 order by createdAt", organization.id)
                .map(invitations -> Response.ok(invitations.stream()
                        .map(invitation -> InvitationView.of(invitation, now)).toList()).build()));
    }

    /** Revoked, pending or expired: the address is no longer invited. */
    @DELETE
    @Path("/{email}")
    @WithTransaction
    public Uni<Response> revoke(@PathParam("org") String org, @PathParam("email") String email) {
        return AdminLookups.withOrganization(org, organization -> InvitationEntity.delete(
                        "organizationId = ?1 and lower(email) = lower(?2)", organization.id, email.trim())
                .map(deleted -> deleted > 0 ? Response.noContent().build()
                        : AdminErrors.response(404, email + " is not invited to " + org)));
    }
}
