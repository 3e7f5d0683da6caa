package dev.scimsync.membership.api;

import dev.scimsync.contracts.internal.KnownUser;
import dev.scimsync.contracts.internal.UserLookup;
import dev.scimsync.contracts.query.UserPage;
import dev.scimsync.contracts.query.ResourceQuery;
import dev.scimsync.runtime.BoundedQueries;
import dev.scimsync.membership.persistence.UserQuerySql;
import dev.scimsync.membership.persistence.AccountEntity;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.UserProfile;
import dev.scimsync.contracts.UserSnapshot;
import dev.scimsync.contracts.internal.Problem;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Internal: reads of users, answered from this service's database for the gateway. */
@Path("/internal/v1/connections/{connectionId}/users")
public class UserResource {

    private final Pool pool;
    private final BoundedQueries queries;

    public UserResource(Pool pool, BoundedQueries queries) {
        this.pool = pool;
        this.queries = queries;
    }

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

    /**
     * A filtered, sorted page of the connection's users; the filter runs in PostgreSQL. Plain SQL on the
     * Vert.x client: IdPs look a user up before every create, and Hibernate's native-query plan cache made
     * each lookup scan its entries.
     */
    @POST
    @Path("/query")
    public Uni<Response> query(@PathParam("connectionId") String connectionId, ResourceQuery query) {
        Optional<UUID> connection = Uuids.parse(connectionId);
        if (connection.isEmpty()) {
            return Uni.createFrom().item(Response.ok(new UserPage(0, List.of(), false)).build());
        }
        if (query == null) {
            return badRequest("a query body is required");
        }
        UserQuerySql.Statement page;
        try {
            page = UserQuerySql.page(connection.get(), query);
        } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
            return badRequest(e.getMessage());
        }
        if (UserQuerySql.namesOneUserAtMost(query)) {
            // The IdP's lookup before a create: one statement, whose page (none or one user) is its own total.
            return page(pool, page, query, null).map(result -> Response.ok(result).build());
        }
        // The count's filter is the page's: whatever it could refuse, building the page refused first. Any other
        // filter may cost what its client likes: it runs in its turn and within its time (BoundedQueries).
        UserQuerySql.Statement count = UserQuerySql.count(connection.get(), query);
        Uni<Response> answer = queries.run(connection.get().toString(), client -> client.preparedQuery(count.sql())
                .execute(Tuple.from(count.parameters()))
                .map(rows -> rows.iterator().next().getLong(0))
                // A query past its last user has no page to read.
                .chain(total -> total < query.startIndex()
                        ? Uni.createFrom().item(new UserPage(total, List.of(), false))
                        : page(client, page, query, total)))
                .map(result -> Response.ok(result).build());
        return BoundedQueries.answeringRefusals(answer,
                (status, detail) -> Response.status(status).entity(new Problem(status, detail)).build());
    }

    /** Reads a page; without a counted total, the page is the whole result (a first page of one user at most). */
    private Uni<UserPage> page(SqlClient client, UserQuerySql.Statement page, ResourceQuery query, Long counted) {
        return client.preparedQuery(page.sql()).execute(Tuple.from(page.parameters())).map(rows -> {
            List<UserSnapshot> users = new ArrayList<>(rows.size());
            rows.forEach(row -> users.add(snapshot(row)));
            // The page reads one row more than it shows: whether users follow it.
            boolean more = users.size() > query.count();
            long total = counted != null ? counted : users.size();
            return new UserPage(total, more ? users.subList(0, query.count()) : users, more);
        });
    }

    /** A row of {@link UserQuerySql#PAGE_COLUMNS} as the snapshot the gateway renders. */
    static UserSnapshot snapshot(Row row) {
        String attributes = row.getString("attributes");
        ObjectNode parsed;
        try {
            parsed = attributes == null ? null : (ObjectNode) ContractJson.mapper().readTree(attributes);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable attributes of user " + row.getUUID("id"), e);
        }
        return new UserSnapshot(row.getUUID("id").toString(), row.getUUID("connection_id").toString(),
                new UserProfile(row.getString("user_name"), row.getString("external_id"), row.getBoolean("active"),
                        parsed),
                row.getLong("version"), row.getOffsetDateTime("created_at").toInstant(),
                row.getOffsetDateTime("updated_at").toInstant());
    }

    private static Uni<Response> badRequest(String detail) {
        return Uni.createFrom().item(Response.status(400).entity(new Problem(400, detail)).build());
    }
}
