package dev.scimsync.audit.api;

import dev.scimsync.audit.persistence.AuditRecordEntity;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.UUID;

/** Internal: the audit records of one command, oldest first. */
@Path("/internal/v1/audit/records")
public class AuditRecordResource {

    public record AuditRecordView(String id, String kind, String commandId, String connectionId, String action,
            String outcome, Instant recordedAt) {
        static AuditRecordView of(AuditRecordEntity entity) {
            return new AuditRecordView(entity.id.toString(), entity.kind, entity.commandId.toString(),
                    entity.connectionId, entity.action, entity.outcome, entity.recordedAt);
        }
    }

    @GET
    @WithSession
    public Uni<Response> byCommand(@QueryParam("commandId") String commandId) {
        UUID id;
        try {
            id = UUID.fromString(String.valueOf(commandId));
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(Response.status(400).entity("commandId must be a UUID").build());
        }
        return AuditRecordEntity.<AuditRecordEntity>list("commandId = ?1 order by recordedAt, kind", id)
                .map(records -> Response.ok(records.stream().map(AuditRecordView::of).toList()).build());
    }
}
