package dev.scimsync.membership.api.admin;

import dev.scimsync.membership.persistence.ProvisioningErrorEntity;
import dev.scimsync.runtime.CaseInsensitive;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Admin API: a connection's latest provisioning errors, newest first, with what to do about each. A failure the IdP
 * repeats - Entra ID retries a failed user every cycle, an IdP updates a member an admin removed by hand - is one
 * entry with how often and since when it was seen, so that 100 entries are 100 different problems, not one problem's
 * last hundred retries.
 */
@Path("/internal/v1/admin/connections/{name}/provisioning-errors")
public class AdminProvisioningErrorsResource {

    /** The entries answered. */
    static final int ENTRIES = 100;
    /** The errors read to make them: the latest, so that a flood of old errors costs nothing to list. */
    static final int READ = 1_000;

    /**
     * One failure and its repetitions among the latest {@link #READ} errors: {@code occurredAt} and {@code requestId}
     * are the latest one's, {@code firstSeen} the earliest one's.
     */
    public record ProvisioningError(Instant occurredAt, String operation, String userName, String requestId,
            String reason, String detail, String suggestedFix, int count, Instant firstSeen) {
    }

    private record Failure(String operation, String userName, String reason, String detail) {
    }

    @GET
    @WithSession
    public Uni<Response> provisioningErrors(@PathParam("name") String name) {
        return AdminLookups.withConnection(name, connection -> ProvisioningErrorEntity.latest(connection.id, READ)
                .map(errors -> Response.ok(repeatsTogether(errors)).build()));
    }

    /** The errors (newest first) with each failure once, in the order of its latest occurrence. */
    static List<ProvisioningError> repeatsTogether(List<ProvisioningErrorEntity> newestFirst) {
        Map<Failure, ProvisioningError> entries = new LinkedHashMap<>();
        for (ProvisioningErrorEntity e : newestFirst) {
            // One address whatever its case, in the detail that names it too.
            Failure failure = new Failure(e.operation, e.userName == null ? null : CaseInsensitive.lower(e.userName),
                    e.reason, e.detail == null ? null : CaseInsensitive.lower(e.detail));
            ProvisioningError seen = entries.get(failure);
            if (seen != null) {
                entries.put(failure, new ProvisioningError(seen.occurredAt(), seen.operation(), seen.userName(),
                        seen.requestId(), seen.reason(), seen.detail(), seen.suggestedFix(), seen.count() + 1,
                        e.occurredAt));
            } else if (entries.size() < ENTRIES) {
                entries.put(failure, new ProvisioningError(e.occurredAt, e.operation, e.userName, e.requestId,
                        e.reason, e.detail, e.suggestedFix, 1, e.occurredAt));
            }
        }
        return new ArrayList<>(entries.values());
    }
}
