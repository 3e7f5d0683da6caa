package dev.scimsync.membership.api.admin;

import dev.scimsync.contracts.NewToken;
import dev.scimsync.contracts.ScimTokens;
import dev.scimsync.membership.persistence.ScimTokenEntity;
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
import java.time.Instant;

/**
 * Admin API: a connection's SCIM tokens. A new token's secret is shown once; only its salted hash is
 * kept. Several tokens may be live at once, so a token is rotated by creating the next one, switching the
 * IdP over, then revoking the old one - which takes effect on the very next request.
 */
@Path("/internal/v1/admin/connections/{name}/scim-tokens")
public class AdminScimTokensResource {

    private final Clock clock;

    public AdminScimTokensResource(Clock clock) {
        this.clock = clock;
    }

    public record IssuedToken(String id, String token, Instant createdAt) {
    }

    public record TokenView(String id, Instant createdAt, Instant lastUsedAt) {
    }

    @POST
    @WithTransaction
    public Uni<Response> issue(@PathParam("name") String name, @Context UriInfo uri) {
        return AdminLookups.withConnection(name, connection -> {
            NewToken fresh = ScimTokens.generate();
            ScimTokenEntity token = new ScimTokenEntity();
            token.id = fresh.id();
            token.connectionId = connection.id;
            token.salt = ScimTokens.newSalt();
            token.secretHash = ScimTokens.hash(token.salt, fresh.secret());
            token.createdAt = StoredTime.now(clock);
            // The Location names the token: the audit record of the issue (the gateway keeps the admin path of the
            // Location) says which token id it was, the id every SCIM command of that token is recorded with.
            return token.persist().replaceWith(Response.created(AdminLookups.created(uri, token.id))
                    .entity(new IssuedToken(token.id, fresh.token(), token.createdAt)).build());
        });
    }

    @GET
    @WithSession
    public Uni<Response> list(@PathParam("name") String name) {
        return AdminLookups.withConnection(name, connection -> ScimTokenEntity.<ScimTokenEntity>list("connectionId = ?1 and revokedAt is null order by createdAt",
                        connection.id).map(tokens -> Response.ok(tokens.stream()
                        .map(t -> new TokenView(t.id, t.createdAt, t.lastUsedAt)).toList()).build()));
    }

    @DELETE
    @Path("/{id}")
    @WithTransaction
    public Uni<Response> revoke(@PathParam("name") String name, @PathParam("id") String id) {
        return AdminLookups.withConnection(name, connection -> ScimTokenEntity.<ScimTokenEntity>find("id = ?1 and connectionId = ?2 and revokedAt is null", id,
                        connection.id).firstResult().map(token -> {
                    if (token == null) {
                        return AdminErrors.response(404, "no live token '" + id + "' on connection '" + name + "'");
                    }
                    token.revokedAt = StoredTime.now(clock);
                    return Response.noContent().build();
                }));
    }
}
