package dev.scimsync.groupsync.persistence;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

/**
 * The groups themselves ({@code scim_group} rows): found, created, saved at their next version, deleted. Their
 * members are {@link GroupMembers}, the team each one fills {@link TeamMappings}.
 */
@ApplicationScoped
public class GroupStore {

    private static final String GROUP_COLUMNS = "g.id, g.connection_id, g.display_name, g.external_id, "
            + "g.member_count, g.team_id, g.version, g.created_at, g.last_modified";

    private final Pool pool;

    public GroupStore(Pool pool) {
        this.pool = pool;
    }

    /** The group as committed, read outside any transaction. */
    public Uni<Optional<GroupRow>> find(String connectionId, UUID id) {
        return find(pool, connectionId, id, false);
    }

    /** The group, locked until the caller's transaction ends, so concurrent commands change it one at a time. */
    public Uni<Optional<GroupRow>> lock(SqlClient sql, String connectionId, UUID id) {
        return find(sql, connectionId, id, true);
    }

    private static Uni<Optional<GroupRow>> find(SqlClient sql, String connectionId, UUID id, boolean forUpdate) {
        return sql.preparedQuery("select " + GROUP_COLUMNS + " from scim_group g where g.id = $1 "
                        + "and g.connection_id = $2" + (forUpdate ? " for update" : ""))
                .execute(Tuple.of(id, connectionId))
                .map(rows -> first(rows).map(GroupRow::of));
    }

    public Uni<Boolean> displayNameTaken(SqlClient sql, String connectionId, String displayName, UUID except) {
        return sql.preparedQuery("select 1 from scim_group where connection_id = $1 and lower(display_name) = lower($2)"
                        + " and id <> $3")
                .execute(Tuple.of(connectionId, displayName, except))
                .map(rows -> rows.size() > 0);
    }

    public Uni<Void> insert(SqlClient sql, GroupRow group) {
        return sql.preparedQuery("insert into scim_group (id, connection_id, display_name, external_id, version, "
                        + "created_at, last_modified) values ($1, $2, $3, $4, $5, $6, $6)")
                .execute(Tuple.from(Arrays.asList(group.id, group.connectionId, group.displayName, group.externalId,
                        group.version, utc(group.created))))
                .replaceWithVoid();
    }

    /**
     * Saves name, external id, mapping and {@code group.lastModified}; counts the members and moves the version
     * on. The caller stamps the change: one transaction applies a poll of commands, so the transaction's time
     * ({@code now()}) would date every command of the poll at its start, before a group it creates.
     */
    public Uni<GroupRow> save(SqlClient sql, GroupRow group, UUID teamId, String teamRole, String unmappedReason) {
        return sql.preparedQuery("update scim_group set display_name = $2, external_id = $3, team_id = $4, "
                        + "team_role = $5, unmapped_reason = $6, member_count = (select count(*) from group_member "
                        + "where group_id = $1), version = version + 1, last_modified = $7 where id = $1 "
                        + "returning member_count, version")
                .execute(Tuple.from(Arrays.asList(group.id, group.displayName, group.externalId, teamId, teamRole,
                        unmappedReason, utc(group.lastModified))))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    group.memberCount = row.getInteger("member_count");
                    group.version = row.getLong("version");
                    group.teamId = teamId;
                    return group;
                });
    }

    /** Members first, while the group still names its team, so their team events can be written. */
    public Uni<Void> delete(SqlClient sql, UUID groupId) {
        return sql.preparedQuery("delete from group_member where group_id = $1").execute(Tuple.of(groupId))
                .chain(() -> sql.preparedQuery("delete from scim_group where id = $1").execute(Tuple.of(groupId)))
                .replaceWithVoid();
    }

    static Optional<Row> first(RowSet<Row> rows) {
        var iterator = rows.iterator();
        return iterator.hasNext() ? Optional.of(iterator.next()) : Optional.empty();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
