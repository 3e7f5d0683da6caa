package dev.scimsync.membership.api.admin;

import dev.scimsync.contracts.NewToken;
import dev.scimsync.contracts.ScopedAdminTokens;
import dev.scimsync.membership.persistence.ScopedAdminTokenEntity;
import dev.scimsync.runtime.StoredTime;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Admin API: an organization's admin tokens ({@link ScopedAdminTokens}), which admit their holder to that
 * organization only. The token is answered once, when it is issued; only the SHA-256 of its secret is kept.
 * Revoking one refuses it on the very next request: the gateway asks here on every admin request made with
 * one ({@code ScopedAdminTokenVerificationResource}). Who may issue, list and revoke is the gateway's rule
 * (issue and revoke: the operator only).
 */
@Path("/internal/v1/admin/organizations/{org}/admin-tokens")
public class AdminScopedTokensResource {

    private static final int LABEL_LENGTH = 200;
    /** Ten years: a token meant to outlive that is one nobody will remember to revoke. */
    private static final int MAX_VALID_DAYS = 3650;

    private final Clock clock;
    private final Duration validFor;

    public AdminScopedTokensResource(Clock clock,
            @ConfigProperty(name = "membership.admin-tokens.valid-for") Duration validFor) {
        this.clock = clock;
        this.validFor = validFor;
    }

    /** {@code validForDays}: how long the token works (1 to 3,650 days); the configured period when absent. */
    public record NewAdminToken(String label, Integer validForDays) {
    }

    public record IssuedAdminToken(String id, String token, String label, Instant createdAt, Instant expiresAt) {
    }

    /** {@code expiresAt} null: issued before tokens expired, it never does. */
    public record AdminTokenView(String id, String label, Instant createdAt, Instant lastUsedAt, Instant revokedAt,
            Instant expiresAt) {
    }

    @POST
    @WithTransaction
    public Uni<Response> issue(@PathParam("org") String org, NewAdminToken request, @Context UriInfo uri) {
        String label = request == null || request.label() == null || request.label().isBlank() ? null
                : request.label().strip();
        if (label != null && label.length() > LABEL_LENGTH) {
            return AdminErrors.uni(400, "'label' is at most " + LABEL_LENGTH + " characters");
        }
        Integer days = request == null ? null : request.validForDays();
        if (days != null && (days < 1 || days > MAX_VALID_DAYS)) {
            return AdminErrors.uni(400, "'validForDays' is from 1 to " + MAX_VALID_DAYS);
        }
        Instant now = StoredTime.now(clock);
        Instant expiresAt = now.plus(days == null ? validFor : Duration.ofDays(days));
        return AdminLookups.withOrganization(org, organization -> {
            NewToken fresh = ScopedAdminTokens.generate();
            ScopedAdminTokenEntity token = new ScopedAdminTokenEntity();
            token.id = fresh.id();
            token.organizationId = organization.id;
            token.label = label;
            token.secretHash = ScopedAdminTokens.digestBytes(fresh.secret());
            token.createdAt = now;
            token.expiresAt = expiresAt;
            return token.persist().replaceWith(Response.created(AdminLookups.created(uri, token.id))
                    .entity(new IssuedAdminToken(token.id, fresh.token(), token.label, token.createdAt,
                            token.expiresAt)).build());
        });
    }

    /** Every admin token of the organization, revoked ones included (with when), oldest first; never a secret. */
    @GET
    @WithSession
    public Uni<Response> list(@PathParam("org") String org) {
        return AdminLookups.withOrganization(org, organization -> ScopedAdminTokenEntity
                .<ScopedAdminTokenEntity>list("organizationId = ?1 order by createdAt, id", organization.id)
                .map(tokens -> Response.ok(tokens.stream().map(t -> new AdminTokenView(t.id, t.label, t.createdAt,
                        t.lastUsedAt, t.revokedAt, t.expiresAt)).toList()).build()));
    }

    @DELETE
    @Path("/{id}")
    @WithTransaction
    public Uni<Response> revoke(@PathParam("org") String org, @PathParam("id") String id) {
        return AdminLookups.withOrganization(org, organization -> ScopedAdminTokenEntity
                .<ScopedAdminTokenEntity>find("id = ?1 and organizationId = ?2 and revokedAt is null", id,
                        organization.id)
                .firstResult().map(token -> {
                    if (token == null) {
                        return AdminErrors.response(404, "no live admin token '" + id + "' in organization '" + org
                                + "'");
                    }
                    token.revokedAt = StoredTime.now(clock);
                    return Response.noContent().build();
                }));
    }
}
