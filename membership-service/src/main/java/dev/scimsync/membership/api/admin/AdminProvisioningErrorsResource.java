package dev.scimsync.membership.api.admin;

import dev.scimsync.membership.persistence.ProvisioningErrorEntity;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.time.Instant;

/** Admin API: a connection's latest provisioning errors, newest first, with what to do about each. */
@Path("/internal/v1/admin/connections/{name}/provisioning-errors")
public class AdminProvisioningErrorsResource {

    public record ProvisioningError(Instant occurredAt, String operation, String userName, String requestId,
            String reason, String detail, String suggestedFix) {
        static ProvisioningError of(ProvisioningErrorEntity e) {
            return new ProvisioningError(e.occurredAt, e.operation, e.userName, e.requestId, e.reason, e.detail,
                    e.suggestedFix);
        }
    }

    @GET
    @WithSession
    public Uni<Response> provisioningErrors(@PathParam("name") String name) {
        return AdminLookups.withConnection(name, connection -> ProvisioningErrorEntity.latest(connection.id)
                .map(errors -> Response.ok(errors.stream().map(ProvisioningError::of).toList()).build()));
    }
}
