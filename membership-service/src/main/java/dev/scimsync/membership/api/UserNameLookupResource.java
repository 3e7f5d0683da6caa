package dev.scimsync.membership.api;

import dev.scimsync.contracts.internal.Problem;
import dev.scimsync.contracts.query.UserNameLookups;
import dev.scimsync.membership.persistence.UserQuerySql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Internal: the gateway's {@code userName eq} lookups of many connections in one call and one statement (see
 * {@link UserNameLookups}). The connections are the gateway's to vouch for (it authenticated each IdP's token);
 * each lookup is answered only from its own connection's users.
 */
@Path("/internal/v1/user-name-lookups")
public class UserNameLookupResource {

    private final Pool pool;

    public UserNameLookupResource(Pool pool) {
        this.pool = pool;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> lookUp(UserNameLookups request) {
        if (request == null || request.lookups().isEmpty() || request.lookups().size() > UserNameLookups.MOST) {
            return Uni.createFrom().item(Response.status(400).entity(new Problem(400,
                    "from 1 to " + UserNameLookups.MOST + " lookups are answered in one call")).build());
        }
        int size = request.lookups().size();
        UUID[] connections = new UUID[size];
        String[] userNames = new String[size];
        for (int i = 0; i < size; i++) {
            UserNameLookups.Lookup lookup = request.lookups().get(i);
            if (lookup == null || lookup.userName() == null) {
                return Uni.createFrom().item(Response.status(400).entity(new Problem(400,
                        "lookup " + i + " has no userName")).build());
            }
            // A connection id that is no id names no connection: nothing is found for it (its neighbours are
            // still answered).
            connections[i] = Uuids.parse(lookup.connectionId()).orElse(null);
            userNames[i] = lookup.userName();
        }
        return pool.preparedQuery(UserQuerySql.USER_NAME_LOOKUPS).execute(Tuple.of(connections, userNames))
                .map(rows -> {
                    List<UserNameLookups.Found> found = new ArrayList<>(rows.size());
                    rows.forEach(row -> found.add(new UserNameLookups.Found(row.getLong("lookup").intValue(),
                            UserResource.snapshot(row))));
                    return Response.ok(new UserNameLookups.Answer(found)).build();
                });
    }
}
