package dev.scimsync.groupsync.persistence;

import dev.scimsync.contracts.GroupMember;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The members of groups ({@code group_member} rows). Member changes are single set-based statements over arrays
 * of ids, so adding ten thousand members is one round trip, not ten thousand.
 */
@ApplicationScoped
public class GroupMembers {

    /** Members are read in pages of this many rows, never as one result of unbounded size. */
    static final int MEMBER_PAGE = 5000;

    public Uni<Void> add(SqlClient sql, UUID groupId, List<UUID> userIds) {
        if (userIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return sql.preparedQuery("insert into group_member (group_id, user_id) select $1, unnest($2::uuid[]) "
                        + "on conflict do nothing")
                .execute(Tuple.of(groupId, userIds.toArray(new UUID[0])))
                .replaceWithVoid();
    }

    public Uni<Void> remove(SqlClient sql, UUID groupId, List<UUID> userIds) {
        if (userIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return sql.preparedQuery("delete from group_member where group_id = $1 and user_id = any($2::uuid[])")
                .execute(Tuple.of(groupId, userIds.toArray(new UUID[0])))
                .replaceWithVoid();
    }

    /** The members become exactly {@code userIds}: those not listed leave, the new ones join. */
    public Uni<Void> replace(SqlClient sql, UUID groupId, List<UUID> userIds) {
        return sql.preparedQuery("delete from group_member where group_id = $1 and not (user_id = any($2::uuid[]))")
                .execute(Tuple.of(groupId, userIds.toArray(new UUID[0])))
                .chain(() -> add(sql, groupId, userIds));
    }

    /**
     * The members of each group, in pages of {@link #MEMBER_PAGE} rows by (group, user), with each user's
     * userName when the directory knows it.
     */
    public Uni<Map<UUID, List<GroupMember>>> of(SqlClient sql, Collection<UUID> groupIds) {
        Map<UUID, List<GroupMember>> members = new LinkedHashMap<>();
        groupIds.forEach(id -> members.put(id, new ArrayList<>()));
        if (groupIds.isEmpty()) {
            return Uni.createFrom().item(members);
        }
        return page(sql, groupIds.toArray(new UUID[0]), null, null, members);
    }

    private Uni<Map<UUID, List<GroupMember>>> page(SqlClient sql, UUID[] groupIds, UUID afterGroup, UUID afterUser,
            Map<UUID, List<GroupMember>> members) {
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
                            : page(sql, groupIds, lastGroup, lastUser, members);
                });
    }
}
