package dev.scimsync.membership.api;

import dev.scimsync.contracts.internal.ScimTokenVerification;
import dev.scimsync.contracts.internal.VerifiedScimToken;
import dev.scimsync.contracts.ScimTokens;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/**
 * Internal: which connection a SCIM bearer token belongs to. The gateway verifies tokens from the
 * scim.credentials topic; it asks here only for a token it has not seen there yet (issued a moment ago), so a
 * new token works at once. One read on the Vert.x client (no entity session, no transaction). Use is
 * recorded by {@link ScimTokenUsageResource}, not here.
 */
@Path("/internal/v1/scim-tokens/verify")
public class ScimTokenVerificationResource {

    private final Pool pool;

    public ScimTokenVerificationResource(Pool pool) {
        this.pool = pool;
    }

    @POST
    public Uni<Response> verify(ScimTokenVerification request) {
        var presented = ScimTokens.parse(request == null ? null : request.token());
        if (presented.isEmpty()) {
            return unauthorized();
        }
        return pool.preparedQuery("select t.salt, t.secret_hash, c.id, c.name, c.scim_enabled "
                        + "from scim_token t join connection c on c.id = t.connection_id "
                        + "where t.id = $1 and t.revoked_at is null")
                .execute(Tuple.of(presented.get().id()))
                .chain(rows -> {
                    Row token = rows.size() == 0 ? null : rows.iterator().next();
                    if (token == null || !ScimTokens.matches(presented.get().secret(), token.getBuffer("salt").getBytes(),
                            token.getBuffer("secret_hash").getBytes())) {
                        return unauthorized();
                    }
                    return Uni.createFrom().item(Response.ok(new VerifiedScimToken(presented.get().id(),
                            token.getUUID("id").toString(), token.getString("name"), token.getBoolean("scim_enabled")))
                            .build());
                });
    }

    private static Uni<Response> unauthorized() {
        return Uni.createFrom().item(Response.status(Response.Status.UNAUTHORIZED).build());
    }
}
