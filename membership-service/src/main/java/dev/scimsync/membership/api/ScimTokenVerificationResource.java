package dev.scimsync.membership.api;

import dev.scimsync.membership.domain.ScimTokens;
import dev.scimsync.membership.persistence.ConnectionEntity;
import dev.scimsync.membership.persistence.ScimTokenEntity;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;

/** Internal: the gateway asks here which connection a SCIM bearer token belongs to. */
@Path("/internal/v1/scim-tokens/verify")
public class ScimTokenVerificationResource {

    /** last_used_at is informational; writing it on every request would turn every read into a write. */
    private static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);

    public record VerificationRequest(String token) {
    }

    public record VerifiedToken(String tokenId, String connectionId, String connectionName, boolean scimEnabled) {
    }

    @POST
    @WithTransaction
    public Uni<Response> verify(VerificationRequest request) {
        var presented = ScimTokens.parse(request == null ? null : request.token());
        if (presented.isEmpty()) {
            return Uni.createFrom().item(Response.status(Response.Status.UNAUTHORIZED).build());
        }
        return ScimTokenEntity.<ScimTokenEntity>findById(presented.get().id()).flatMap(token -> {
            if (token == null || token.revokedAt != null
                    || !ScimTokens.matches(presented.get().secret(), token.salt, token.secretHash)) {
                return Uni.createFrom().item(Response.status(Response.Status.UNAUTHORIZED).build());
            }
            Instant now = Instant.now();
            if (token.lastUsedAt == null || token.lastUsedAt.isBefore(now.minus(LAST_USED_GRANULARITY))) {
                token.lastUsedAt = now;
            }
            return ConnectionEntity.<ConnectionEntity>findById(token.connectionId).map(connection -> Response.ok(
                    new VerifiedToken(token.id, connection.id.toString(), connection.name, connection.scimEnabled))
                    .build());
        });
    }
}
