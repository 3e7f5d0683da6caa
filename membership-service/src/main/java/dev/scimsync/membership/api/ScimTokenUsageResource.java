package dev.scimsync.membership.api;

import dev.scimsync.contracts.internal.ScimTokenUse;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/**
 * Internal: the gateways report which SCIM tokens they accepted, each at most once a minute and in one batch,
 * so a token's last_used_at (shown in the admin API) stays within about a minute of its last use without a
 * call per SCIM request. One statement on the Vert.x client; last_used_at changes publish no credential.
 */
@Path("/internal/v1/scim-tokens/used")
public class ScimTokenUsageResource {

    private final Pool pool;

    public ScimTokenUsageResource(Pool pool) {
        this.pool = pool;
    }

    @POST
    public Uni<Response> used(ScimTokenUse use) {
        if (use == null || use.tokenIds() == null || use.tokenIds().isEmpty()) {
            return Uni.createFrom().item(Response.noContent().build());
        }
        return pool.preparedQuery("update scim_token set last_used_at = now() where id = any($1) and revoked_at is null")
                .execute(Tuple.of(use.tokenIds().toArray(String[]::new)))
                .map(updated -> Response.noContent().build());
    }
}
