package dev.scimsync.groupsync.persistence;

import dev.scimsync.contracts.GroupMember;
import dev.scimsync.groupsync.domain.TeamMapping;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Groups and their members in SQL. Member changes are single set-based statements over arrays of ids, so
 * adding ten thousand members is one round trip, not ten thousand.
 */
@ApplicationScoped
public class GroupStore {

    /** Members are read in pages of this many rows, never as one result of unbounded size. */
    static final int MEMBER_PAGE = 5000;
    private static final String GROUP_COLUMNS = "g.id, g.connection_id, g.display_name, g.external_id, "
            + "g.member_count, g.team_id, g.version, g.created_at, g.last_modified";

    private final Pool pool;

    public GroupStore(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    public Uni<Optional<GroupRow>> find(SqlClient sql, String connectionId, UUID id, boolean forUpdate) {
        return sql.preparedQuery("select " + GROUP_COLUMNS + " from scim_group g where g.id = $1 and g.connection_id = $2"
                        + (forUpdate ? " for update" : ""))
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

    public Uni<Void> addMembers(SqlClient sql, UUID groupId, List<UUID> userIds) {
        if (userIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return sql.preparedQuery("insert into group_member (group_id, user_id) select $1, unnest($2::uuid[]) "
                        + "on conflict do nothing")
                .execute(Tuple.of(groupId, userIds.toArray(new UUID[0])))
                .replaceWithVoid();
    }

    public Uni<Void> removeMembers(SqlClient sql, UUID groupId, List<UUID> userIds) {
        if (userIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return sql.preparedQuery("delete from group_member where group_id = $1 and user_id = any($2::uuid[])")
                .execute(Tuple.of(groupId, userIds.toArray(new UUID[0])))
                .replaceWithVoid();
    }

    /** The members become exactly {@code userIds}: those not listed leave, the new ones join. */
    public Uni<Void> replaceMembers(SqlClient sql, UUID groupId, List<UUID> userIds) {
        return sql.preparedQuery("delete from group_member where group_id = $1 and not (user_id = any($2::uuid[]))")
                .execute(Tuple.of(groupId, userIds.toArray(new UUID[0])))
                .chain(() -> addMembers(sql, groupId, userIds));
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

    public Uni<Optional<TeamMapping.Target>> explicitMapping(SqlClient sql, String connectionId, UUID groupId) {
        return sql.preparedQuery("select organization, team, role from group_mapping where connection_id = $1 "
                        + "and group_id = $2")
                .execute(Tuple.of(connectionId, groupId))
                .map(rows -> first(rows).map(row -> new TeamMapping.Target(row.getString("organization"),
                        row.getString("team"), row.getString("role"))));
    }

    /** The team's id, creating the team on first use (names compare without case). */
    public Uni<UUID> team(SqlClient sql, String organization, String name) {
        return sql.preparedQuery("insert into team (id, organization, name) values ($1, $2, $3) "
                        + "on conflict ((lower(organization)), (lower(name))) do nothing")
                .execute(Tuple.of(UUID.randomUUID(), organization, name))
                .chain(() -> sql.preparedQuery("select id from team where lower(organization) = lower($1) "
                        + "and lower(name) = lower($2)").execute(Tuple.of(organization, name)))
                .map(rows -> rows.iterator().next().getUUID("id"));
    }

    /**
     * The members of each group, in pages of {@link #MEMBER_PAGE} rows by (group, user), with each user's
     * userName when the directory knows it.
     */
    public Uni<Map<UUID, List<GroupMember>>> members(SqlClient sql, Collection<UUID> groupIds) {
        Map<UUID, List<GroupMember>> members = new LinkedHashMap<>();
        groupIds.forEach(id -> members.put(id, new ArrayList<>()));
        if (groupIds.isEmpty()) {
            return Uni.createFrom().item(members);
        }
        return memberPage(sql, groupIds.toArray(new UUID[0]), null, null, members);
    }

    private Uni<Map<UUID, List<GroupMember>>> memberPage(SqlClient sql, UUID[] groupIds, UUID afterGroup,
            UUID afterUser, Map<UUID, List<GroupMember>> members) {
        String after = afterGroup == null ? "" : " and (gm.group_id, gm.user_id) > ($3, $4)";
        Tuple params = afterGroup == null ? Tuple.of(groupIds, MEMBER_PAGE)
                : Tuple.of(groupIds, MEMBER_PAGE, afterGroup, afterUser);
        return sql.preparedQuery("select gm.group_id, gm.user_id, u.user_name from group_member gm "
                        + "left join directory_user u on u.user_id = gm.user_id where gm.group_id = any($1)" + after
                        + " order by gm.group_id, gm.user_id limit $2")
                .execute(params)
                .chain(rows -> {
                    UUID lastGroup = null;
                    UUID lastUser = null;
                    for (Row row : rows) {
                        lastGroup = row.getUUID("group_id");
                        lastUser = row.getUUID("user_id");
                        members.get(lastGroup).add(new GroupMember(lastUser.toString(), row.getString("user_name")));
                    }
                    return rows.size() < MEMBER_PAGE ? Uni.createFrom().item(members)
                            : memberPage(sql, groupIds, lastGroup, lastUser, members);
                });
    }

    /** Points the group at another team (or none) without changing the SCIM resource. */
    public Uni<Void> remap(SqlClient sql, UUID groupId, UUID teamId, String teamRole, String unmappedReason) {
        return sql.preparedQuery("update scim_group set team_id = $2, team_role = $3, unmapped_reason = $4 where id = $1")
                .execute(Tuple.from(Arrays.asList(groupId, teamId, teamRole, unmappedReason)))
                .replaceWithVoid();
    }

    public Uni<List<Mapping>> explicitMappings(SqlClient sql, String connectionId) {
        return sql.preparedQuery("select m.group_id, g.display_name, m.organization, m.team, m.role from group_mapping m "
                        + "join scim_group g on g.id = m.group_id where m.connection_id = $1 order by g.display_name")
                .execute(Tuple.of(connectionId))
                .map(rows -> {
                    List<Mapping> mappings = new ArrayList<>();
                    rows.forEach(row -> mappings.add(new Mapping(row.getUUID("group_id").toString(),
                            row.getString("display_name"), new TeamMapping.Target(row.getString("organization"),
                                    row.getString("team"), row.getString("role")))));
                    return mappings;
                });
    }

    /** An admin's mapping of a group. */
    /**
     * A connection's groups as an admin reviews them: where each one's members go and why ({@code explicit}
     * mapping, {@code name} of the form organization:team, or {@code unmapped} with the reason).
     */
    public record GroupPlacement(String groupId, String displayName, int members, String mappedBy,
            String organization, String team, String role, String unmappedReason) {
    }

    public Uni<List<GroupPlacement>> placements(SqlClient sql, String connectionId) {
        return sql.preparedQuery("select g.id, g.display_name, g.member_count, g.team_role, g.unmapped_reason, "
                        + "t.organization, t.name as team, m.group_id is not null as explicit from scim_group g "
                        + "left join team t on t.id = g.team_id "
                        + "left join group_mapping m on m.group_id = g.id and m.connection_id = g.connection_id "
                        + "where g.connection_id = $1 order by lower(g.display_name)")
                .execute(Tuple.of(connectionId))
                .map(rows -> {
                    List<GroupPlacement> placements = new ArrayList<>();
                    for (Row row : rows) {
                        boolean mapped = row.getString("team") != null;
                        placements.add(new GroupPlacement(row.getUUID("id").toString(), row.getString("display_name"),
                                row.getInteger("member_count"),
                                !mapped ? "unmapped" : row.getBoolean("explicit") ? "explicit" : "name",
                                row.getString("organization"), row.getString("team"), row.getString("team_role"),
                                row.getString("unmapped_reason")));
                    }
                    return placements;
                });
    }

    public record Mapping(String groupId, String displayName, TeamMapping.Target target) {
    }

    public Uni<Void> saveMapping(SqlClient sql, String connectionId, UUID groupId, TeamMapping.Target target) {
        return sql.preparedQuery("insert into group_mapping (connection_id, group_id, organization, team, role) "
                        + "values ($1, $2, $3, $4, $5) on conflict (connection_id, group_id) do update set "
                        + "organization = excluded.organization, team = excluded.team, role = excluded.role, "
                        + "updated_at = now()")
                .execute(Tuple.of(connectionId, groupId, target.organization(), target.team(), target.role()))
                .replaceWithVoid();
    }

    /** @return whether there was a mapping */
    public Uni<Boolean> deleteMapping(SqlClient sql, String connectionId, UUID groupId) {
        return sql.preparedQuery("delete from group_mapping where connection_id = $1 and group_id = $2")
                .execute(Tuple.of(connectionId, groupId))
                .map(rows -> rows.rowCount() > 0);
    }

    private static Optional<Row> first(RowSet<Row> rows) {
        var iterator = rows.iterator();
        return iterator.hasNext() ? Optional.of(iterator.next()) : Optional.empty();
    }

    static OffsetDateTime utc(java.time.Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
