package dev.scimsync.audit.api;

import dev.scimsync.audit.persistence.AuditRecordEntity;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Internal: audit records, newest first, optionally of one command or one connection. */
@Path("/internal/v1/audit/records")
public class AuditRecordResource {

    private static final int MAX_LIMIT = 500;

    public record AuditRecordView(String id, String kind, String commandId, String connectionId, String action,
            String outcome, Instant recordedAt) {
        static AuditRecordView of(AuditRecordEntity entity) {
            return new AuditRecordView(entity.id.toString(), entity.kind, entity.commandId.toString(),
                    entity.connectionId, entity.action, entity.outcome, entity.recordedAt);
        }
    }

    @GET
    @WithSession
    public Uni<Response> list(@QueryParam("commandId") String commandId, @QueryParam("connection") String connection,
            @QueryParam("limit") @DefaultValue("50") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            return badRequest("limit must be between 1 and " + MAX_LIMIT);
        }
        List<String> conditions = new ArrayList<>();
        Parameters parameters = new Parameters();
        if (commandId != null) {
            try {
                parameters.and("commandId", UUID.fromString(commandId));
            } catch (IllegalArgumentException e) {
                return badRequest("commandId must be a UUID");
            }
            conditions.add("commandId = :commandId");
        }
        if (connection != null) {
            parameters.and("connection", connection);
            conditions.add("connectionId = :connection");
        }
        String query = (conditions.isEmpty() ? "" : String.join(" and ", conditions) + " ")
                + "order by recordedAt desc, id";
        return AuditRecordEntity.<AuditRecordEntity>find(query, parameters).page(Page.ofSize(limit)).list()
                .map(records -> Response.ok(records.stream().map(AuditRecordView::of).toList()).build());
    }

    private static Uni<Response> badRequest(String detail) {
        return Uni.createFrom().item(Response.status(400).entity(detail).build());
    }
}
