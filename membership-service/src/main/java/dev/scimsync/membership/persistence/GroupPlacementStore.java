package dev.scimsync.membership.persistence;

import dev.scimsync.membership.domain.BatchState;
import dev.scimsync.membership.domain.GroupPlacementBatch;
import dev.scimsync.membership.domain.UserCommandBatch;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Reads what group placements touch and stores them (V17), inside the caller's transaction, with the same
 * set-based statements as user commands ({@link UserCommandStore}): the membership rows they change are written
 * by it, so the member triggers publish the same events whichever path changed a member.
 */
@ApplicationScoped
public class GroupPlacementStore {

    private final UserCommandStore members;

    public GroupPlacementStore(UserCommandStore members) {
        this.members = members;
    }

    /** The organizations the batch names (locked first, in id order), then its accounts and their memberships. */
    public Uni<BatchState> read(SqlConnection sql, GroupPlacementBatch batch) {
        BatchState state = new BatchState();
        return UserCommandStore.organizations(sql, batch.organizations(), state)
                .chain(() -> accountsAndMemberships(sql, batch.accountIds(), state))
                .replaceWith(state);
    }

    /**
     * The organization (locked) and the active accounts its groups place in it that hold no seat there: those a
     * full organization refused, to place again once seats are added.
     */
    public Uni<BatchState> readWaitingForSeats(SqlConnection sql, String organization) {
        BatchState state = new BatchState();
        Set<UUID> waiting = new LinkedHashSet<>();
        return UserCommandStore.organizations(sql, Set.of(organization), state)
                .chain(() -> UserCommandStore.query(sql, "select g.account_id from group_placement g "
                        + "join organization o on o.id = g.organization_id join account a on a.id = g.account_id "
                        + "left join member m on m.account_id = g.account_id and m.organization_id = g.organization_id "
                        + "where o.name = $1 and a.active and (m.account_id is null or m.state <> 'active')",
                        Tuple.of(organization), row -> waiting.add(row.getUUID("account_id"))))
                .chain(() -> accountsAndMemberships(sql, waiting, state))
                .replaceWith(state);
    }

    private static Uni<Void> accountsAndMemberships(SqlConnection sql, Set<UUID> accountIds, BatchState state) {
        if (accountIds.isEmpty()) {
            return UserCommandStore.done();
        }
        UserCommandBatch.Reads reads = new UserCommandBatch.Reads(accountIds, Map.of(), Set.of(), Set.of(), Set.of());
        return UserCommandStore.accounts(sql, reads, state)
                .chain(found -> UserCommandStore.connections(sql, state.accountConnectionIds(), state)
                        .chain(() -> UserCommandStore.members(sql, found, state))
                        .chain(() -> UserCommandStore.otherMembers(sql, state.accountUserNames(), state.accountConnectionIds(),
                                state))
                        .chain(() -> UserCommandStore.teams(sql, Set.of(), found, state)));
    }

    /**
     * The accounts' placements replaced, then the memberships written. The placements first: a member row only
     * groups keep is told apart from an attribute placement by them (V17's default trigger).
     */
    public Uni<Void> write(SqlConnection sql, GroupPlacementBatch.Result result) {
        List<GroupPlacementBatch.Placement> placements = result.placements();
        Uni<Void> replaced = result.accounts().isEmpty() ? UserCommandStore.done()
                : UserCommandStore.execute(sql, "delete from group_placement where account_id = any($1)",
                        Tuple.of(UserCommandStore.uuids(result.accounts())));
        return replaced
                .chain(() -> placements.isEmpty() ? UserCommandStore.done()
                        : UserCommandStore.execute(sql, "insert into group_placement (account_id, organization_id, role, "
                                + "groups) select p.account_id, p.organization_id, p.role, "
                                + "array(select jsonb_array_elements_text(cast(p.groups as jsonb))) "
                                + "from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[]) "
                                + "as p(account_id, organization_id, role, groups)",
                                Tuple.of(UserCommandStore.column(placements, UUID[]::new,
                                                GroupPlacementBatch.Placement::accountId),
                                        UserCommandStore.column(placements, UUID[]::new,
                                                GroupPlacementBatch.Placement::organizationId),
                                        UserCommandStore.column(placements, String[]::new,
                                                GroupPlacementBatch.Placement::role),
                                        UserCommandStore.column(placements, String[]::new,
                                                p -> jsonArray(p.groups())))))
                .chain(() -> members.write(sql, result.changes()));
    }

    private static String jsonArray(List<String> values) {
        var array = dev.scimsync.contracts.ContractJson.mapper().createArrayNode();
        new ArrayList<>(values).forEach(array::add);
        return array.toString();
    }
}
