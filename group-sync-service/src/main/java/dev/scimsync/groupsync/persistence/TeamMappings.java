package dev.scimsync.groupsync.persistence;

import dev.scimsync.groupsync.domain.TeamMapping;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Which team each group fills: an admin's explicit mappings ({@code group_mapping}), the teams they name
 * ({@code team}, created on first use), and the team, role and unmapped reason a group currently points at.
 */
@ApplicationScoped
public class TeamMappings {

    /** An admin's mapping of a group. */
    public record Mapping(String groupId, String displayName, TeamMapping.Target target) {
    }

    /**
     * A connection's groups as an admin reviews them: where each one's members go and why ({@code explicit}
     * mapping, {@code name} of the form organization:team, or {@code unmapped} with the reason).
     */
    public record GroupPlacement(String groupId, String displayName, int members, String mappedBy,
            String organization, String team, String role, String unmappedReason) {
    }

    private final Pool pool;

    public TeamMappings(Pool pool) {
        this.pool = pool;
    }

    public Uni<Optional<TeamMapping.Target>> explicitMapping(SqlClient sql, String connectionId, UUID groupId) {
        return sql.preparedQuery("select organization, team, role from group_mapping where connection_id = $1 "
                        + "and group_id = $2")
                .execute(Tuple.of(connectionId, groupId))
                .map(rows -> GroupStore.first(rows).map(row -> new TeamMapping.Target(row.getString("organization"),
                        row.getString("team"), row.getString("role"))));
    }

    public Uni<List<Mapping>> explicitMappings(String connectionId) {
        return pool.preparedQuery("select m.group_id, g.display_name, m.organization, m.team, m.role "
                        + "from group_mapping m join scim_group g on g.id = m.group_id where m.connection_id = $1 order by g.display_name")
                .execute(Tuple.of(connectionId))
                .map(rows -> {
                    List<Mapping> mappings = new ArrayList<>();
                    rows.forEach(row -> mappings.add(new Mapping(row.getUUID("group_id").toString(),
                            row.getString("display_name"), new TeamMapping.Target(row.getString("organization"),
                                    row.getString("team"), row.getString("role")))));
                    return mappings;
                });
    }

    public Uni<List<GroupPlacement>> placements(String connectionId) {
        return pool.preparedQuery("select g.id, g.display_name, g.member_count, g.team_role, g.unmapped_reason, "
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

    /** Maps the group explicitly and points it at the target's team, in one transaction. */
    public Uni<Void> map(String connectionId, UUID groupId, TeamMapping.Target target) {
        return pool.withTransaction(sql -> saveMapping(sql, connectionId, groupId, target)
                .chain(() -> team(sql, target.organization(), target.team()))
                .chain(teamId -> remap(sql, groupId, teamId, target.role(), null)));
    }

    /**
     * Removes the group's explicit mapping and points it where {@code byName} (its name's mapping) says, in one
     * transaction.
     *
     * @return whether there was a mapping; without one nothing changes
     */
    public Uni<Boolean> unmap(String connectionId, UUID groupId, TeamMapping.Resolution byName) {
        return pool.withTransaction(sql -> deleteMapping(sql, connectionId, groupId).chain(existed -> {
            if (!existed) {
                return Uni.createFrom().item(false);
            }
            Uni<UUID> team = byName.isMapped()
                    ? team(sql, byName.target().organization(), byName.target().team())
                    : Uni.createFrom().nullItem();
            return team.chain(teamId -> remap(sql, groupId, teamId, byName.isMapped() ? byName.target().role() : null,
                    byName.unmappedReason())).replaceWith(true);
        }));
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

    /** Points the group at another team (or none) without changing the SCIM resource. */
    private static Uni<Void> remap(SqlClient sql, UUID groupId, UUID teamId, String teamRole, String unmappedReason) {
        return sql.preparedQuery("update scim_group set team_id = $2, team_role = $3, unmapped_reason = $4 "
                        + "where id = $1")
                .execute(Tuple.from(Arrays.asList(groupId, teamId, teamRole, unmappedReason)))
                .replaceWithVoid();
    }

    private static Uni<Void> saveMapping(SqlClient sql, String connectionId, UUID groupId, TeamMapping.Target target) {
        return sql.preparedQuery("insert into group_mapping (connection_id, group_id, organization, team, role) "
                        + "values ($1, $2, $3, $4, $5) on conflict (connection_id, group_id) do update set "
                        + "organization = excluded.organization, team = excluded.team, role = excluded.role, "
                        + "updated_at = now()")
                .execute(Tuple.of(connectionId, groupId, target.organization(), target.team(), target.role()))
                .replaceWithVoid();
    }

    /** @return whether there was a mapping */
    private static Uni<Boolean> deleteMapping(SqlClient sql, String connectionId, UUID groupId) {
        return sql.preparedQuery("delete from group_mapping where connection_id = $1 and group_id = $2")
                .execute(Tuple.of(connectionId, groupId))
                .map(rows -> rows.rowCount() > 0);
    }
}
