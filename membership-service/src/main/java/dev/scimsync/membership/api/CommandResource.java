package dev.scimsync.membership.api;

import dev.scimsync.membership.persistence.ProcessedCommandEntity;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/**
 * Internal: the committed outcome of a command, for a gateway whose wait for the outcome on Kafka timed
 * out - it asks here once before telling the IdP to retry.
 */
@Path("/internal/v1/commands/{commandId}")
public class CommandResource {

    @GET
    @WithSession
    public Uni<Response> outcome(@PathParam("commandId") String commandId) {
        return Uuids.parse(commandId)
                .map(id -> ProcessedCommandEntity.<ProcessedCommandEntity>findById(id).map(processed -> processed == null
                        ? Response.status(Response.Status.NOT_FOUND).build()
                        : Response.ok(processed.toOutcome()).build()))
                .orElseGet(() -> Uni.createFrom().item(Response.status(Response.Status.NOT_FOUND).build()));
    }
}
