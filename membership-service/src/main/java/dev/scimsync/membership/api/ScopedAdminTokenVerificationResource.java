package dev.scimsync.membership.api;

import dev.scimsync.contracts.ScopedAdminTokens;
import dev.scimsync.runtime.StoredTime;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Internal: whose a scoped admin token is. The gateway asks on every admin request and console page made with
 * one - admin traffic is light, and asking every time is what makes a revocation end the token (and the console
 * sessions opened with it) everywhere at once. It sends the token's id and the digest of its secret, never the
 * secret. A revoked or expired token matches nothing. A match records the use (at most once a minute per token, so a busy console does not write on every
 * page).
 */
@Path("/internal/v1/admin-tokens/verify")
public class ScopedAdminTokenVerificationResource {

    private static final Logger LOG = Logger.getLogger(ScopedAdminTokenVerificationResource.class);

    private final Pool pool;
    private final Clock clock;

    public ScopedAdminTokenVerificationResource(Pool pool, Clock clock) {
        this.pool = pool;
        this.clock = clock;
    }

    @POST
    public Uni<Response> verify(ScopedAdminTokens.Check check) {
        if (check == null || check.tokenId() == null || check.secretDigest() == null) {
            return Uni.createFrom().item(Response.status(Response.Status.BAD_REQUEST).build());
        }
        return pool.preparedQuery("select t.secret_hash, o.name from scoped_admin_token t "
                        + "join organization o on o.id = t.organization_id where t.id = $1 and t.revoked_at is null "
                        + "and (t.expires_at is null or t.expires_at > $2)")
                .execute(Tuple.of(check.tokenId(), StoredTime.now(clock).atOffset(ZoneOffset.UTC)))
                .chain(rows -> {
                    Row token = rows.size() == 0 ? null : rows.iterator().next();
                    if (token == null || !ScopedAdminTokens.matches(check.secretDigest(),
                            token.getBuffer("secret_hash").getBytes())) {
                        return Uni.createFrom().item(Response.status(Response.Status.UNAUTHORIZED).build());
                    }
                    return recordUse(check.tokenId()).replaceWith(Response.ok(
                            new ScopedAdminTokens.Verified(check.tokenId(), token.getString("name"))).build());
                });
    }

    /** Never fails the check: the last use is for the admin's information only. */
    private Uni<Void> recordUse(String tokenId) {
        return pool.preparedQuery("update scoped_admin_token set last_used_at = now() where id = $1 "
                        + "and (last_used_at is null or last_used_at < now() - interval '1 minute')")
                .execute(Tuple.of(tokenId)).replaceWithVoid()
                .onFailure().recoverWithUni(failure -> {
                    LOG.warnf("could not record the use of admin token %s: %s", tokenId, failure.toString());
                    return Uni.createFrom().voidItem();
                });
    }
}
