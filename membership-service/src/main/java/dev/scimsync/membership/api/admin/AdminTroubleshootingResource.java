package dev.scimsync.membership.api.admin;

import dev.scimsync.membership.domain.TroubleshootingAdvice;
import dev.scimsync.membership.persistence.TroubleshootingCounters;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;

/**
 * Admin API: what the gateways saw of a connection's IdP set up wrong, each with its fix - attributes and
 * extensions the schemas do not define (dropped from the IdP's requests without an error), failed SCIM
 * authentications with the connection's tokens, and the requests refused while the connection's SCIM was off
 * (a deactivation among them was not applied: the person named keeps their access). Those that name no connection: {@link
 * AdminFailedAuthenticationsResource}.
 */
@Path("/internal/v1/admin/connections/{name}/troubleshooting")
public class AdminTroubleshootingResource {

    public record UnknownAttribute(String resourceType, String name, String kind, long count, Instant firstSeen,
            Instant lastSeen, String suggestedFix) {
    }

    /** @param tokenState {@code live} (a wrong secret was sent) or {@code revoked} */
    public record TokenFailures(String tokenId, String tokenState, Instant revokedAt, long count, Instant firstSeen,
            Instant lastSeen, String suggestedFix) {
    }

    /**
     * Requests of one method to one resource, refused because the connection's SCIM was off.
     *
     * @param resourceType {@code User}, {@code Group}, or null: the request named neither
     * @param id           the resource's id; null when none was named (or past the bound of ids kept)
     * @param userName     the user the id names now; null for a group, or an id the connection has no user with
     * @param userActive   whether that user is active now (has access); null with {@code userName}
     */
    public record RefusedWhileScimOff(String method, String resourceType, String id, String userName,
            Boolean userActive, long count, Instant firstSeen, Instant lastSeen, String suggestedFix) {
    }

    public record Troubleshooting(List<UnknownAttribute> unknownAttributes,
            List<TokenFailures> failedAuthentications, List<RefusedWhileScimOff> refusedWhileScimOff) {
    }

    private final TroubleshootingCounters counters;

    public AdminTroubleshootingResource(TroubleshootingCounters counters) {
        this.counters = counters;
    }

    @GET
    @WithSession
    public Uni<Response> connection(@PathParam("name") String name) {
        return AdminLookups.withConnection(name, connection -> Uni.combine().all()
                .unis(counters.unknownAttributes(connection.id), counters.failedAuthentications(connection.id),
                        counters.refusedWhileScimOff(connection.id))
                .asTuple()
                .map(found -> Response.ok(new Troubleshooting(
                        found.getItem1().stream().map(u -> new UnknownAttribute(u.resourceType(), u.name(), u.kind(),
                                u.seen().count(), u.seen().firstSeen(), u.seen().lastSeen(),
                                TroubleshootingAdvice.unknownAttribute(u.resourceType(), u.name(), u.kind())))
                                .toList(),
                        found.getItem2().stream().map(t -> new TokenFailures(t.tokenId(),
                                t.revokedAt() == null ? "live" : "revoked", t.revokedAt(), t.seen().count(),
                                t.seen().firstSeen(), t.seen().lastSeen(),
                                TroubleshootingAdvice.failedAuthentication(t.tokenId(), t.revokedAt())))
                                .toList(),
                        found.getItem3().stream().map(r -> new RefusedWhileScimOff(r.method(), r.resourceType(),
                                r.resourceId(), r.userName(), r.userActive(), r.seen().count(), r.seen().firstSeen(),
                                r.seen().lastSeen(), TroubleshootingAdvice.refusedWhileScimOff(r.method(),
                                        r.resourceType(), r.resourceId(), r.userName(), r.userActive())))
                                .toList())).build()));
    }
}
