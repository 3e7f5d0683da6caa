package dev.scimsync.groupsync.persistence;

import dev.scimsync.contracts.GroupMember;
import dev.scimsync.contracts.internal.UserNameGroups;
import dev.scimsync.contracts.query.GroupPage;
import dev.scimsync.contracts.query.ResourceQuery;
import dev.scimsync.runtime.BoundedQueries;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads for the gateway: groups with or without their members, and the groups of users. A page of groups with
 * their members holds at most {@code groups.page-member-rows} member rows: as many of the page's groups, in
 * order, as fit in that budget (always at least one, however large), and fewer groups than asked for otherwise.
 * RFC 7644 section 3.4.2.4 lets a page hold fewer results than {@code count}; {@code totalResults} stays right,
 * and the client asks for the next page from where this one ended.
 */
@ApplicationScoped
public class GroupQueries {

    private final Pool pool;
    private final GroupStore store;
    private final GroupMembers members;
    private final BoundedQueries costly;
    private final int pageMemberRows;

    public GroupQueries(Pool pool, GroupStore store, GroupMembers members, BoundedQueries costly,
            @ConfigProperty(name = "groups.page-member-rows") int pageMemberRows) {
        this.pool = pool;
        this.store = store;
        this.members = members;
        this.costly = costly;
        this.pageMemberRows = pageMemberRows;
    }

    /** Members are read only when asked for: a group's own row never holds them. */
    public Uni<Optional<GroupPage.Entry>> group(String connectionId, UUID id, boolean withMembers) {
        return store.find(connectionId, id).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().item(Optional.<GroupPage.Entry>empty());
            }
            return entries(pool, List.of(found.get()), withMembers).map(entries -> Optional.of(entries.get(0)));
        });
    }

    /**
     * One page of the connection's groups. With their members, the count, the page and the members are read in one
     * snapshot, so the member counts the page is cut by are the rows then read. A lookup of one group by displayName
     * or id (the IdPs' before a push) reads one index entry; any other filter may cost what its client likes, and
     * runs in its turn and within its time ({@link BoundedQueries}: {@link BoundedQueries.Busy},
     * {@link BoundedQueries.TooSlow}).
     */
    public Uni<GroupPage> query(String connectionId, ResourceQuery query, boolean withMembers) {
        if (!GroupQuerySql.namesOneGroupAtMost(query)) {
            return costly.run(connectionId, sql -> withMembers ? oneSnapshot(sql).chain(() -> query(sql, connectionId,
                    query, true)) : query(sql, connectionId, query, false));
        }
        if (!withMembers) {
            return query(pool, connectionId, query, false);
        }
        return pool.withTransaction(sql -> oneSnapshot(sql).chain(() -> query(sql, connectionId, query, true)));
    }

    private static Uni<?> oneSnapshot(SqlConnection sql) {
        return sql.query("set transaction isolation level repeatable read, read only").execute();
    }

    /**
     * Reads one group more than the page shows, so that the page tells whether groups follow it. A keyset page
     * starts after its key in the default order, a row comparison the index on (connection_id, created_at, id)
     * serves.
     */
    private Uni<GroupPage> query(SqlClient sql, String connectionId, ResourceQuery query, boolean withMembers) {
        GroupQuerySql.Condition condition = GroupQuerySql.where(query.filter(), 2);
        List<Object> params = new ArrayList<>();
        params.add(connectionId);
        params.addAll(condition.params());
        String from = " from scim_group g where g.connection_id = $1 and (" + condition.sql() + ")";
        Uni<Long> total = sql.preparedQuery("select count(*) as total" + from).execute(Tuple.from(params))
                .map(rows -> rows.iterator().next().getLong("total"));
        return total.chain(count -> {
            if (count < query.startIndex()) {
                return Uni.createFrom().item(new GroupPage(count, List.of(), false));
            }
            List<Object> pageParams = new ArrayList<>(params);
            String keyset = "";
            if (query.after() != null) {
                pageParams.add(query.after().created().atOffset(ZoneOffset.UTC));
                pageParams.add(query.after().id());
                keyset = " and (g.created_at, g.id) > ($" + (pageParams.size() - 1) + ", $" + pageParams.size() + ")";
            }
            pageParams.add(query.count() + 1);
            pageParams.add(query.startIndex() - 1L);
            String page = "select g.id, g.connection_id, g.display_name, g.external_id, g.member_count, g.team_id, "
                    + "g.version, g.created_at, g.last_modified" + from + keyset + " order by "
                    + GroupQuerySql.orderBy(query.sortBy(), query.descending())
                    + " limit $" + (pageParams.size() - 1) + " offset $" + pageParams.size();
            return sql.preparedQuery(page).execute(Tuple.from(pageParams)).chain(rows -> {
                List<GroupRow> read = new ArrayList<>();
                rows.forEach(row -> read.add(GroupRow.of(row)));
                List<GroupRow> asked = read.subList(0, Math.min(read.size(), query.count()));
                List<GroupRow> groups = withMembers ? withinMemberRows(asked, pageMemberRows) : asked;
                boolean more = read.size() > groups.size();
                return entries(sql, groups, withMembers).map(entries -> new GroupPage(count, entries, more));
            });
        });
    }

    /**
     * The first groups whose members together fit in {@code memberRows}; the first group whatever its size. A
     * prefix, so that the next page starts right after it.
     */
    static List<GroupRow> withinMemberRows(List<GroupRow> groups, int memberRows) {
        long rows = 0;
        int fitting = 0;
        for (GroupRow group : groups) {
            rows += group.memberCount;
            if (fitting > 0 && rows > memberRows) {
                break;
            }
            fitting++;
        }
        return groups.subList(0, fitting);
    }

    private Uni<List<GroupPage.Entry>> entries(SqlClient sql, List<GroupRow> groups, boolean withMembers) {
        if (!withMembers) {
            return Uni.createFrom().item(groups.stream().map(g -> new GroupPage.Entry(g.snapshot(), null)).toList());
        }
        return members.of(sql, groups.stream().map(g -> g.id).toList()).map(found -> groups.stream()
                .map(g -> new GroupPage.Entry(g.snapshot(), found.get(g.id))).toList());
    }

    /** For each of the users in at least one group of the connection: its groups (id and display name). */
    public Uni<Map<String, List<GroupMember>>> groupsOfUsers(String connectionId, List<UUID> userIds) {
        return pool.preparedQuery("select gm.user_id, g.id, g.display_name from group_member gm "
                        + "join scim_group g on g.id = gm.group_id where g.connection_id = $1 "
                        + "and gm.user_id = any($2::uuid[]) order by gm.user_id, g.display_name")
                .execute(Tuple.of(connectionId, userIds.toArray(new UUID[0])))
                .map(rows -> {
                    Map<String, List<GroupMember>> groups = new LinkedHashMap<>();
                    for (Row row : rows) {
                        groups.computeIfAbsent(row.getUUID("user_id").toString(), k -> new ArrayList<>())
                                .add(new GroupMember(row.getUUID("id").toString(), row.getString("display_name")));
                    }
                    return groups;
                });
    }

    /**
     * The connection's user of that userName (ignoring case) with its groups, ordered by name;
     * {@link UserNameGroups#UNKNOWN} when the directory holds no such user - or two, which only a rename it has not
     * caught up with yet can leave.
     */
    public Uni<UserNameGroups> groupsOfUserName(String connectionId, String userName) {
        return pool.preparedQuery("select u.user_id, g.id, g.display_name from directory_user u "
                        + "left join group_member gm on gm.user_id = u.user_id "
                        + "left join scim_group g on g.id = gm.group_id and g.connection_id = u.connection_id "
                        + "where u.connection_id = $1 and lower(u.user_name) = lower($2) "
                        + "order by u.user_id, g.display_name")
                .execute(Tuple.of(connectionId, userName))
                .map(rows -> {
                    UUID user = null;
                    List<GroupMember> groups = new ArrayList<>();
                    for (Row row : rows) {
                        UUID id = row.getUUID("user_id");
                        if (user != null && !user.equals(id)) {
                            return UserNameGroups.UNKNOWN;
                        }
                        user = id;
                        UUID group = row.getUUID("id");
                        if (group != null) {
                            groups.add(new GroupMember(group.toString(), row.getString("display_name")));
                        }
                    }
                    return user == null ? UserNameGroups.UNKNOWN : new UserNameGroups(user.toString(), groups);
                });
    }
}
