package dev.scimsync.membership.api;

import dev.scimsync.contracts.query.UserPage;
import dev.scimsync.contracts.query.ResourceQuery;
import dev.scimsync.membership.domain.UserQuerySql;
import dev.scimsync.membership.persistence.AccountEntity;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

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
                || !account.managedByScim()
                ? Response.status(Response.Status.NOT_FOUND).build()
                : Response.ok(account.toSnapshot()).build());
    }

    public record UserLookup(List<String> ids) {
    }

    public record KnownUser(String id, String userName, boolean active, long version) {
    }

    /**
     * The users SCIM provisioned in this connection among the ids (unknown ids are left out): group-sync
     * checks group members with it.
     */
    @POST
    @Path("/lookup")
    @Consumes(MediaType.APPLICATION_JSON)
    @WithSession
    public Uni<List<KnownUser>> lookup(@PathParam("connectionId") String connectionId, UserLookup lookup) {
        Optional<UUID> connection = Uuids.parse(connectionId);
        List<UUID> ids = lookup == null || lookup.ids() == null ? List.of()
                : lookup.ids().stream().map(Uuids::parse).flatMap(Optional::stream).toList();
        if (connection.isEmpty() || ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return AccountEntity.<AccountEntity>list("connectionId = ?1 and id in ?2", connection.get(), ids)
                .map(accounts -> accounts.stream().filter(AccountEntity::managedByScim)
                        .map(a -> new KnownUser(a.id.toString(), a.userName, a.active, a.version)).toList());
    }

    /** A filtered, sorted page of the connection's users; the filter runs in PostgreSQL. */
    @POST
    @Path("/query")
    @WithSession
    public Uni<Response> query(@PathParam("connectionId") String connectionId, ResourceQuery query) {
        Optional<UUID> connection = Uuids.parse(connectionId);
        if (connection.isEmpty()) {
            return Uni.createFrom().item(Response.ok(new UserPage(0, List.of())).build());
        }
        if (query == null) {
            return badRequest("a query body is required");
        }
        UserQuerySql.Statement count;
        UserQuerySql.Statement page;
        try {
            count = UserQuerySql.count(connection.get(), query);
            page = UserQuerySql.page(connection.get(), query);
        } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
            return badRequest(e.getMessage());
        }
        return Panache.getSession().chain(session -> bind(session.createNativeQuery(count.sql()), count)
                .getSingleResult()
                .chain(total -> query.count() == 0
                        ? Uni.createFrom().item(new UserPage(((Number) total).longValue(), List.of()))
                        : bind(session.createNativeQuery(page.sql(), AccountEntity.class), page).getResultList()
                                .map(accounts -> new UserPage(((Number) total).longValue(),
                                        accounts.stream().map(AccountEntity::toSnapshot).toList()))))
                .map(result -> Response.ok(result).build());
    }

    private static <T> Mutiny.SelectionQuery<T> bind(Mutiny.SelectionQuery<T> query, UserQuerySql.Statement statement) {
        for (int i = 0; i < statement.parameters().size(); i++) {
            query.setParameter(i + 1, statement.parameters().get(i));
        }
        return query;
    }

    private static Uni<Response> badRequest(String detail) {
        return Uni.createFrom().item(Response.status(400).entity(Map.of("detail", detail)).build());
    }
}
