package dev.scimsync.membership.api;

import dev.scimsync.membership.domain.ScimTokens;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Internal: the gateway asks here which connection a SCIM bearer token belongs to, on every SCIM request,
 * so it is one read on the Vert.x client (no entity session, no transaction).
 */
@Path("/internal/v1/scim-tokens/verify")
public class ScimTokenVerificationResource {

    /** last_used_at is informational; writing it on every request would turn every read into a write. */
    private static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);

    public record VerificationRequest(String token) {
    }

    public record VerifiedToken(String tokenId, String connectionId, String connectionName, boolean scimEnabled) {
    }

    private final Pool pool;

    public ScimTokenVerificationResource(Pool pool) {
        this.pool = pool;
    }

    @POST
    public Uni<Response> verify(VerificationRequest request) {
        var presented = ScimTokens.parse(request == null ? null : request.token());
        if (presented.isEmpty()) {
            return unauthorized();
        }
        return pool.preparedQuery("select t.salt, t.secret_hash, t.last_used_at, c.id, c.name, c.scim_enabled "
                        + "from scim_token t join connection c on c.id = t.connection_id "
                        + "where t.id = $1 and t.revoked_at is null")
                .execute(Tuple.of(presented.get().id()))
                .chain(rows -> {
                    Row token = rows.size() == 0 ? null : rows.iterator().next();
                    if (token == null || !ScimTokens.matches(presented.get().secret(), token.getBuffer("salt").getBytes(),
                            token.getBuffer("secret_hash").getBytes())) {
                        return unauthorized();
                    }
                    VerifiedToken verified = new VerifiedToken(presented.get().id(), token.getUUID("id").toString(),
                            token.getString("name"), token.getBoolean("scim_enabled"));
                    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                    OffsetDateTime lastUsed = token.getOffsetDateTime("last_used_at");
                    if (lastUsed != null && lastUsed.isAfter(now.minus(LAST_USED_GRANULARITY))) {
                        return Uni.createFrom().item(Response.ok(verified).build());
                    }
                    return pool.preparedQuery("update scim_token set last_used_at = $2 where id = $1")
                            .execute(Tuple.of(presented.get().id(), now))
                            .map(updated -> Response.ok(verified).build());
                });
    }

    private static Uni<Response> unauthorized() {
        return Uni.createFrom().item(Response.status(Response.Status.UNAUTHORIZED).build());
    }
}
