package dev.scimsync.groupsync.persistence;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The users of each connection as far as group-sync needs them (id, userName, active). membership-service
 * owns users; this copy follows its committed outcomes, and a version check keeps an older answer from
 * overwriting a newer one whichever arrives first.
 */
@ApplicationScoped
public class UserDirectory {

    public record User(UUID id, String connectionId, String userName, boolean active, long version) {
    }

    private final Pool pool;

    public UserDirectory(Pool pool) {
        this.pool = pool;
    }

    /** Those of {@code ids} known as users of the connection. */
    public Uni<Set<UUID>> known(String connectionId, List<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return pool.preparedQuery("select user_id from directory_user where connection_id = $1 "
                        + "and user_id = any($2::uuid[])")
                .execute(Tuple.of(connectionId, ids.toArray(new UUID[0])))
                .map(rows -> {
                    Set<UUID> known = new HashSet<>();
                    for (Row row : rows) {
                        known.add(row.getUUID("user_id"));
                    }
                    return known;
                });
    }

    /** Runs {@code work} in one transaction, on one connection. */
    public <T> Uni<T> transaction(Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(work);
    }

    /**
     * Records the users, unless a newer version of one is already recorded; one statement for any number. A user's
     * connection changes when another connection adopts it (a connection-to-connection migration): the new
     * connection's groups may then name it, and it leaves the groups of every other connection - they no longer add
     * it, and they no longer keep it in their teams (the old IdP, switched off after the move, would never remove it,
     * so a team the new IdP takes it out of would have kept it through the old group of the same name).
     */
    public Uni<Void> remember(List<User> users) {
        return remember(pool, users);
    }

    /** As {@link #remember(List)}, on the caller's connection; one user id at most once. */
    public Uni<Void> remember(SqlClient sql, List<User> users) {
        if (users.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // Rows are written in id order, so two concurrent writers of overlapping users cannot deadlock.
        List<User> rows = users.stream().sorted(Comparator.comparing(User::id)).toList();
        int size = rows.size();
        UUID[] ids = new UUID[size];
        String[] connections = new String[size];
        String[] userNames = new String[size];
        Boolean[] active = new Boolean[size];
        Long[] versions = new Long[size];
        for (int i = 0; i < size; i++) {
            User user = rows.get(i);
            ids[i] = user.id();
            connections[i] = user.connectionId();
            userNames[i] = user.userName();
            active[i] = user.active();
            versions[i] = user.version();
        }
        // In the same statement: the memberships of the users whose connection changes, in the other connections'
        // groups, end (their triggers write the team events and placements), and those groups count one member less.
        return sql.preparedQuery("with incoming as (select * from unnest($1::uuid[], $2::text[], $3::text[], "
                        + "$4::bool[], $5::int8[]) as u(user_id, connection_id, user_name, active, version)), "
                        + "moved as (delete from group_member m using incoming i, directory_user d, scim_group g "
                        + "where m.user_id = i.user_id and d.user_id = i.user_id and d.connection_id <> i.connection_id "
                        + "and d.version <= i.version and g.id = m.group_id and g.connection_id <> i.connection_id "
                        + "returning m.group_id), "
                        + "recounted as (update scim_group g set member_count = g.member_count - x.members, "
                        + "version = g.version + 1, last_modified = now() from (select group_id, count(*) as members "
                        + "from moved group by group_id) x where g.id = x.group_id) "
                        + "insert into directory_user (user_id, connection_id, user_name, active, version) "
                        + "select user_id, connection_id, user_name, active, version from incoming "
                        + "on conflict (user_id) do update set user_name = excluded.user_name, "
                        + "active = excluded.active, version = excluded.version, connection_id = excluded.connection_id "
                        + "where directory_user.version <= excluded.version")
                .execute(Tuple.of(ids, connections, userNames, active, versions))
                .replaceWithVoid();
    }

    /**
     * Users deleted in membership-service leave every group (and so every team), and those groups move to a
     * new version; on the caller's connection, inside its transaction, in three statements for any number.
     */
    public Uni<Void> forget(SqlClient sql, List<UUID> userIds) {
        UUID[] ids = userIds.toArray(new UUID[0]);
        return sql.preparedQuery("delete from group_member where user_id = any($1::uuid[]) returning group_id")
                .execute(Tuple.of(ids))
                .chain(rows -> {
                    Set<UUID> groups = new HashSet<>();
                    rows.forEach(row -> groups.add(row.getUUID("group_id")));
                    return sql.preparedQuery("update scim_group g set member_count = (select count(*) from "
                                    + "group_member m where m.group_id = g.id), version = version + 1, "
                                    + "last_modified = now() where g.id = any($1::uuid[])")
                            .execute(Tuple.of(groups.toArray(new UUID[0])));
                })
                .chain(() -> sql.preparedQuery("delete from directory_user where user_id = any($1::uuid[])")
                        .execute(Tuple.of(ids)))
                .replaceWithVoid();
    }
}
