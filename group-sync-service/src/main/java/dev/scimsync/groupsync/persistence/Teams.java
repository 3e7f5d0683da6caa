package dev.scimsync.groupsync.persistence;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Team membership that comes from groups: the active members of the groups mapped to each team. It is
 * derived, not copied, so a rename that moves a group's mapping moves its members, a deleted group's
 * memberships vanish with it, and a deactivated user is out until it is active again.
 */
@ApplicationScoped
public class Teams {

    public record GroupTeam(String name, List<String> groups) {
    }

    /** An active user in a team through the named groups; the role is the highest any of them gives. */
    public record GroupTeamMember(String team, String id, String userName, String role, List<String> groups) {
    }

    private final Pool pool;

    public Teams(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<GroupTeam>> teams(String organization) {
        return pool.preparedQuery("select t.name, array_remove(array_agg(g.display_name order by g.display_name), null) "
                        + "as groups from team t left join scim_group g on g.team_id = t.id "
                        + "where lower(t.organization) = lower($1) group by t.id, t.name order by lower(t.name)")
                .execute(Tuple.of(organization))
                .map(rows -> {
                    List<GroupTeam> teams = new ArrayList<>();
                    for (Row row : rows) {
                        teams.add(new GroupTeam(row.getString("name"), List.of(row.getArrayOfStrings("groups"))));
                    }
                    return teams;
                });
    }

    /** The members of one team, or of every team of the organization when {@code team} is null. */
    public Uni<List<GroupTeamMember>> members(String organization, String team) {
        return pool.preparedQuery("select t.name, u.user_id, u.user_name, "
                        + "array_agg(g.display_name order by g.display_name) as groups, "
                        + "max(case g.team_role when 'owner' then 3 when 'editor' then 2 else 1 end) as rank "
                        + "from team t join scim_group g on g.team_id = t.id join group_member gm on gm.group_id = g.id "
                        + "join directory_user u on u.user_id = gm.user_id and u.active "
                        + "where lower(t.organization) = lower($1) and ($2::text is null or lower(t.name) = lower($2)) "
                        + "group by t.name, u.user_id, u.user_name order by t.name, u.user_name")
                .execute(Tuple.of(organization, team))
                .map(rows -> {
                    List<GroupTeamMember> members = new ArrayList<>();
                    for (Row row : rows) {
                        int rank = row.getInteger("rank");
                        members.add(new GroupTeamMember(row.getString("name"), row.getUUID("user_id").toString(),
                                row.getString("user_name"), rank == 3 ? "owner" : rank == 2 ? "editor" : "member",
                                List.of(row.getArrayOfStrings("groups"))));
                    }
                    return members;
                });
    }
}
