package dev.scimsync.membership.api;

import dev.scimsync.membership.persistence.AccountEntity;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.UUID;

/** Internal: reads of users, answered from this service's database for the gateway. */
@Path("/internal/v1/connections/{connectionId}/users")
public class UserResource {

    @GET
    @Path("/{id}")
    @WithSession
    public Uni<Response> get(@PathParam("connectionId") String connectionId, @PathParam("id") String id) {
        Optional<UUID> connection = Uuids.parse(connectionId);
        Optional<UUID> user = Uuids.parse(id);
        if (connection.isEmpty() || user.isEmpty()) {
            return Uni.createFrom().item(Response.status(Response.Status.NOT_FOUND).build());
        }
        return AccountEntity.findInConnection(connection.get(), user.get()).map(account -> account == null
                ? Response.status(Response.Status.NOT_FOUND).build()
                : Response.ok(account.toSnapshot()).build());
    }
}
