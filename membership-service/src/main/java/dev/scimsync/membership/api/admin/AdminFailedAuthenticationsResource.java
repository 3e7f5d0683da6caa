package dev.scimsync.membership.api.admin;

import dev.scimsync.membership.domain.TroubleshootingAdvice;
import dev.scimsync.membership.persistence.TroubleshootingCounters;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.time.Instant;

/**
 * Admin API, the operator's (the gateway refuses it to an organization's admin: it counts every tenant's
 * traffic): failed SCIM authentications that name no connection - no token, not a SCIM token, a token id nobody
 * issued - per reason, with the fix.
 */
@Path("/internal/v1/admin/failed-authentications")
public class AdminFailedAuthenticationsResource {

    /** @param reason {@code missing}, {@code malformed} or {@code unknown-token} */
    public record UnattributedFailures(String reason, long count, Instant firstSeen, Instant lastSeen,
            String suggestedFix) {
    }

    private final TroubleshootingCounters counters;

    public AdminFailedAuthenticationsResource(TroubleshootingCounters counters) {
        this.counters = counters;
    }

    @GET
    public Uni<Response> list() {
        return counters.unattributed().map(found -> Response.ok(found.stream().map(u -> new UnattributedFailures(
                u.reason(), u.seen().count(), u.seen().firstSeen(), u.seen().lastSeen(),
                TroubleshootingAdvice.unattributed(u.reason()))).toList()).build());
    }
}
