package dev.scimsync.membership.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.membership.domain.BatchChanges;
import dev.scimsync.membership.domain.BatchState;
import dev.scimsync.membership.domain.MemberTransition;
import dev.scimsync.membership.domain.Placements;
import dev.scimsync.membership.domain.Role;
import dev.scimsync.membership.domain.UserCommandBatch;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Reads what a batch of user commands can touch and writes what it changed, inside the caller's transaction:
 * a fixed number of set-based statements ({@code = any($1)} reads, {@code unnest} writes) whatever the size
 * of the batch, on the Vert.x client (no entity session: nothing to flush or cache per row).
 */
@ApplicationScoped
public class UserCommandStore {

    private static String selectedAccountColumns(String table) {
        return String.join(", ", List.of("id", "connection_id", "user_name", "external_id", "active", "source",
                "version", "created_at", "updated_at", "deactivated_at").stream().map(column -> table + column).toList())
                + ", cast(" + table + "attributes as text) as attributes"
                // The organizations an admin removed it from, in the same read (an account read is rare in a sync).
                + ", array(select r.organization_id from removed_by_admin r where r.account_id = "
                + (table.isEmpty() ? "account." : table) + "id) as removed_by_admin";
    }

    /**
     * The batch's state: three steps of reads, the statements of the first two sent together ({@link #inOrder}), the
     * second of which locks the organizations it places in. The transaction plans its statements once: an {@code =
     * any($1)} read of a batch of a few commands has a custom plan estimated cheaper than the generic one (which
     * assumes ten elements), so PostgreSQL's plan cache planned the reads of processed commands, connections and
     * accounts again in every batch (pg_stat_statements with track_planning: as many plans as calls, 0.13-0.32 ms
     * each, more than they took to run); the generic plans are the same index look-ups.
     */
    public Uni<BatchState> read(SqlConnection sql, UserCommandBatch batch) {
        BatchState state = new BatchState();
        return inOrder(List.of(
                        execute(sql, "select set_config('plan_cache_mode', 'force_generic_plan', true)", Tuple.tuple()),
                        processed(sql, batch.commandIds(), state),
                        connections(sql, batch.connectionIds(), state)))
                .chain(() -> {
                    UserCommandBatch.Reads reads = batch.reads(state);
                    List<UUID> accountIds = new ArrayList<>();
                    // The organizations first: their row locks order batches (and sign-ins) placing members in
                    // the same organization, so every read after this sees the seats and teams they committed.
                    return inOrder(List.of(organizations(sql, reads.organizations(), state),
                                    accounts(sql, reads, state).invoke(accountIds::addAll).replaceWithVoid()))
                            .chain(() -> members(sql, accountIds, state)
                                    // Read by user commands only: group placements change no account's state.
                                    .chain(() -> notFromScimOrganizations(sql, state))
                                    .chain(() -> teams(sql, reads.teams(), accountIds, state))
                                    .chain(() -> pendingHolds(sql, accountIds, state)))
                            .chain(() -> guards(sql, batch.guardedConnections(state), state))
                            .chain(() -> otherMembers(sql, reads.otherMemberEmails(), batch.connectionIds(), state));
                })
                .replaceWith(state);
    }

    private static Uni<Void> processed(SqlConnection sql, Set<UUID> commandIds, BatchState state) {
        return query(sql, "select cast(outcome as text) as outcome from processed_command where command_id = any($1)",
                Tuple.of(uuids(commandIds)), row -> {
                    state.processed(ContractJson.read(row.getString("outcome").getBytes(
                            java.nio.charset.StandardCharsets.UTF_8), CommandOutcome.class));
                });
    }

    static Uni<Void> connections(SqlConnection sql, Set<UUID> connectionIds, BatchState state) {
        return query(sql, "select c.id, c.name, c.scim_enabled, c.adopt_jit, c.adopt_from_connection_id, c.default_team, c.default_role, c.scim_enabled_since, "
                + "o.name as default_organization, array(select lo.name from connection_organization l join organization lo "
                + "on lo.id = l.organization_id where l.connection_id = c.id) as linked "
                + "from connection c join organization o on o.id = c.default_organization_id where c.id = any($1)",
                Tuple.of(uuids(connectionIds)), row -> state.connection(new BatchState.Connection(row.getUUID("id"),
                        row.getString("name"), row.getBoolean("scim_enabled"), row.getBoolean("adopt_jit"),
                        row.getUUID("adopt_from_connection_id"),
                        new Placements.ConnectionDefaults(row.getString("name"), row.getString("default_organization"),
                                row.getString("default_team"), Role.fromWireName(row.getString("default_role")),
                                Set.of(row.getArrayOfStrings("linked"))),
                        instant(row, "scim_enabled_since"))));
    }

    static Uni<Void> organizations(SqlConnection sql, Set<String> names, BatchState state) {
        if (names.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // Locked in id order, so two batches never wait on each other's locks in a cycle.
        return query(sql, "select id, name, seats, member_count from organization where name = any($1) "
                + "order by id for update", Tuple.of(names.toArray(new String[0])),
                row -> state.organization(new BatchState.Organization(row.getUUID("id"), row.getString("name"),
                        row.getInteger("seats"), row.getInteger("member_count"))));
    }

    /** The accounts named by id or by userName; answers the ids found. */
    static Uni<List<UUID>> accounts(SqlConnection sql, UserCommandBatch.Reads reads, BatchState state) {
        List<UUID> connections = new ArrayList<>();
        List<String> userNames = new ArrayList<>();
        reads.userNamesByConnection().forEach((connection, names) -> names.forEach(name -> {
            connections.add(connection);
            userNames.add(name);
        }));
        if (reads.accountIds().isEmpty() && userNames.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<UUID> found = new ArrayList<>();
        return query(sql, "select " + selectedAccountColumns("") + " from account where id = any($1) union "
                + "select " + selectedAccountColumns("a.") + " from account a "
                + "join unnest($2::uuid[], $3::text[]) as k(connection_id, user_name) "
                + "on a.connection_id = k.connection_id and lower(a.user_name) = lower(k.user_name)",
                Tuple.of(uuids(reads.accountIds()), connections.toArray(new UUID[0]), userNames.toArray(new String[0])),
                row -> {
                    BatchState.Account account = new BatchState.Account(row.getUUID("id"), row.getUUID("connection_id"),
                            row.getString("user_name"), row.getString("external_id"), row.getBoolean("active"),
                            row.getString("source"), json(row.getString("attributes")), row.getLong("version"),
                            instant(row, "created_at"), instant(row, "updated_at"), instant(row, "deactivated_at"));
                    UUID[] removedByAdmin = row.getArrayOfUUIDs("removed_by_admin");
                    if (removedByAdmin.length > 0) {
                        account.removedByAdmin = Set.of(removedByAdmin);
                    }
                    state.account(account);
                    found.add(account.id);
                })
                .replaceWith(found);
    }

    static Uni<Void> members(SqlConnection sql, List<UUID> accountIds, BatchState state) {
        if (accountIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return query(sql, "select account_id, organization_id, role, state, source, attribute_role, created_at "
                + "from member where account_id = any($1)", Tuple.of(accountIds.toArray(new UUID[0])),
                row -> state.member(new BatchState.Member(row.getUUID("account_id"), row.getUUID("organization_id"),
                        row.getString("role"), row.getString("state"), row.getString("source"),
                        row.getString("attribute_role"), instant(row, "created_at"))))
                .chain(() -> groupPlacements(sql, accountIds, state));
    }

    /**
     * The organizations the batch has not read where the accounts have memberships SCIM did not make (an accepted
     * invitation, a sign-in's groups), locked (in id order, after the others): those memberships follow the
     * account's state, and a re-activation there takes a seat. Most batches have none, and send nothing.
     */
    private static Uni<Void> notFromScimOrganizations(SqlConnection sql, BatchState state) {
        Set<UUID> unread = state.organizationsOfMembersNotFromScim();
        if (unread.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return query(sql, "select id, name, seats, member_count from organization where id = any($1) "
                + "order by id for update", Tuple.of(uuids(unread)),
                row -> state.organizationIfAbsent(new BatchState.Organization(row.getUUID("id"), row.getString("name"),
                        row.getInteger("seats"), row.getInteger("member_count"))));
    }

    /**
     * Where the accounts' mapped groups place them (V17), with those organizations locked (in id order, after
     * the ones the batch names): a re-activation or a moved placement keeps and re-seats those memberships.
     */
    private static Uni<Void> groupPlacements(SqlConnection sql, List<UUID> accountIds, BatchState state) {
        return query(sql, "select g.account_id, g.organization_id, g.role, o.name, o.seats, o.member_count "
                + "from group_placement g join organization o on o.id = g.organization_id "
                + "where g.account_id = any($1) order by o.id for update of o", Tuple.of(accountIds.toArray(new UUID[0])),
                row -> {
                    state.groupPlacement(row.getUUID("account_id"), row.getUUID("organization_id"), row.getString("role"));
                    state.organizationIfAbsent(new BatchState.Organization(row.getUUID("organization_id"),
                            row.getString("name"), row.getInteger("seats"), row.getInteger("member_count")));
                });
    }

    /**
     * The teams named (organization names, team names; a team's name matched in any letter case): each organization
     * found by its name, then its team by its index (V25). Joined the other way round, a generic plan matched every
     * team of that name in every organization first - most organizations have an "Everyone" - and read two rows per
     * team and name: 20 organizations in a batch against 100 teams of one name was 2,000 index probes.
     */
    static final String TEAMS_BY_NAME = "select t.id, t.organization_id, t.name "
            + "from unnest($1::text[], $2::text[]) as k(organization, team) "
            + "join organization o on o.name = k.organization "
            + "cross join lateral (select t.id, t.organization_id, t.name from team t "
            + "where t.organization_id = o.id and lower(t.name) = lower(k.team) offset 0) t";

    /** The teams the placements name, and every team place of the accounts the batch changes. */
    static Uni<Void> teams(SqlConnection sql, Set<UserCommandBatch.TeamName> names, List<UUID> accountIds,
            BatchState state) {
        Uni<Void> named = names.isEmpty() ? Uni.createFrom().voidItem()
                : query(sql, TEAMS_BY_NAME,
                        Tuple.of(names.stream().map(UserCommandBatch.TeamName::organization).toArray(String[]::new),
                                names.stream().map(UserCommandBatch.TeamName::team).toArray(String[]::new)),
                        row -> state.team(new BatchState.Team(row.getUUID("id"), row.getUUID("organization_id"),
                                row.getString("name"))));
        return named.chain(() -> accountIds.isEmpty() ? Uni.createFrom().voidItem()
                : query(sql, "select tm.team_id, t.organization_id, tm.account_id, tm.placed_at_sign_in "
                        + "from team_member tm join team t on t.id = tm.team_id where tm.account_id = any($1)",
                        Tuple.of(accountIds.toArray(new UUID[0])),
                        row -> state.teamMember(row.getUUID("team_id"), row.getUUID("organization_id"),
                                row.getUUID("account_id"), row.getBoolean("placed_at_sign_in"))));
    }

    /**
     * The changes the guard holds undecided for these accounts, locked: an approval and a batch of the IdP's
     * commands deciding the same held change take turns, and the second finds it decided.
     */
    private static Uni<Void> pendingHolds(SqlConnection sql, List<UUID> accountIds, BatchState state) {
        if (accountIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return query(sql, "select id, account_id, account_version, kind from held_change where state = 'held' "
                + "and account_id = any($1) order by seq for update", Tuple.of(accountIds.toArray(new UUID[0])),
                row -> state.pendingHold(new BatchState.PendingHold(row.getUUID("id"), row.getUUID("account_id"),
                        row.getLong("account_version"), MemberTransition.ofWireName(row.getString("kind")))));
    }

    /** The guard of each connection whose commands may deactivate or remove: settings and window counts. */
    private static Uni<Void> guards(SqlConnection sql, Set<UUID> connectionIds, BatchState state) {
        if (connectionIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return query(sql, "select * from connection_guard where connection_id = any($1)",
                Tuple.of(connectionIds.toArray(new UUID[0])),
                row -> state.guard(row.getUUID("connection_id"), new BatchState.Guard(row.getBoolean("guard_enabled"),
                        row.getInteger("guard_percent"), row.getInteger("guard_max_members"),
                        row.getInteger("guard_min_members"), row.getLong("active_members").intValue(), row.getLong("deprovisioned").intValue(),
                        row.getLong("held").intValue())));
    }

    /**
     * The members of these emails (lower case) through accounts added by hand (no connection) or of connections that
     * share an organization with {@code connectionIds}: the only accounts that can be members of the organizations
     * those connections place people in. Each half probes a userName index (the manual accounts' own, and the
     * connections' (connection, lower(userName))); the batch's own connections come back too and are skipped where
     * the rows are used ({@link BatchState#otherMember}).
     */
    static Uni<Void> otherMembers(SqlConnection sql, Set<String> emails, Set<UUID> connectionIds, BatchState state) {
        if (emails.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return query(sql, "select o.name, a.user_name, a.connection_id, cast(null as text) as connection_name, "
                + "a.source from account a join member m on m.account_id = a.id "
                + "join organization o on o.id = m.organization_id where lower(a.user_name) = any($1) and a.connection_id is null "
                + "union all "
                + "select o.name, a.user_name, a.connection_id, c.name, a.source "
                + "from account a join member m on m.account_id = a.id join organization o on o.id = m.organization_id "
                + "join connection c on c.id = a.connection_id "
                + "where lower(a.user_name) = any($1) and a.connection_id in (select shared.connection_id "
                + "from connection_organization own join connection_organization shared "
                + "on shared.organization_id = own.organization_id where own.connection_id = any($2))",
                Tuple.of(emails.toArray(new String[0]), uuids(connectionIds)),
                row -> state.otherMember(new BatchState.OtherMember(row.getString("name"), row.getString("user_name"),
                        row.getUUID("connection_id"), row.getString("connection_name"), row.getString("source"))));
    }

    /**
     * Writes the changes: one statement per kind of change, in an order the foreign keys and the unique
     * userName index accept (deletions and renames before new accounts). Team places go in before the member
     * rows: a new member's row then writes its state with its team, once (V20), instead of a state without
     * teams followed by one with them. All of them are sent together ({@link #inOrder}).
     */
    public Uni<Void> write(SqlConnection sql, BatchChanges changes) {
        List<Statement> statements = new ArrayList<>();
        traces(statements, changes);
        deleteAccounts(statements, changes.deletedAccounts);
        deleteTeamMembers(statements, changes.deletedTeamMembers);
        takeOverTeamPlaces(statements, changes.teamPlacesTakenOver);
        deleteMembers(statements, changes.deletedMembers);
        updateAccounts(statements, changes.updatedAccounts);
        insertAccounts(statements, changes.insertedAccounts);
        insertTeams(statements, changes);
        updateMembers(statements, changes.updatedMembers);
        insertMembers(statements, changes.insertedMembers);
        guardChanges(statements, changes);
        insertProcessed(statements, changes.processed);
        insertErrors(statements, changes.errors);
        List<Uni<Void>> sent = new ArrayList<>(statements.size());
        statements.forEach(statement -> sent.add(statement.rows() < 0
                ? execute(sql, statement.sql(), statement.arguments())
                : sql.preparedQuery(statement.sql()).execute(statement.arguments()).invoke(rows -> {
                    if (rows.rowCount() != statement.rows()) {
                        throw new StaleAccounts(statement.rows(), rows.rowCount());
                    }
                }).replaceWithVoid()));
        return inOrder(sent);
    }

    /** Each account's events carry the trace of the command that changed it (read by the outbox triggers, V9). */
    private static void traces(List<Statement> out, BatchChanges changes) {
        if (changes.traces.isEmpty()) {
            return;
        }
        ObjectNode traces = ContractJson.mapper().createObjectNode();
        changes.traces.forEach((account, traceparent) -> traces.put(account.toString(), traceparent));
        out.add(new Statement("select set_config('scimsync.traceparents', $1, true)", Tuple.of(traces.toString())));
    }

    /** The accounts go, and their userNames are remembered as removed (refused at sign-in, V11). */
    private static void deleteAccounts(List<Statement> out, List<BatchChanges.DeletedAccount> accounts) {
        if (accounts.isEmpty()) {
            return;
        }
        // Only while the account is still the connection's: another connection may have adopted it meanwhile (then
        // the batch is applied again, StaleAccounts).
        out.add(new Statement("delete from account a using unnest($1::uuid[], $2::uuid[]) as d(id, connection_id) "
                + "where a.id = d.id and a.connection_id = d.connection_id",
                Tuple.of(column(accounts, UUID[]::new, BatchChanges.DeletedAccount::id),
                        column(accounts, UUID[]::new, BatchChanges.DeletedAccount::connectionId)), accounts.size()));
        out.add(new Statement("insert into scim_removal (connection_id, user_name_lower, removed_at) "
                + "select r.connection_id, lower(r.user_name), r.removed_at "
                + "from unnest($1::uuid[], $2::text[], $3::timestamptz[]) as r(connection_id, user_name, removed_at) "
                + "on conflict (connection_id, user_name_lower) do update set removed_at = excluded.removed_at",
                Tuple.of(column(accounts, UUID[]::new, BatchChanges.DeletedAccount::connectionId),
                        column(accounts, String[]::new, BatchChanges.DeletedAccount::userName),
                        column(accounts, OffsetDateTime[]::new, a -> offset(a.deletedAt())))));
    }

    /** Team places that end (a moved placement, a deactivation). */
    private static void deleteTeamMembers(List<Statement> out, List<BatchChanges.TeamMember> places) {
        if (places.isEmpty()) {
            return;
        }
        out.add(new Statement("delete from team_member tm using unnest($1::uuid[], $2::uuid[]) as d(team_id, account_id) "
                + "where tm.team_id = d.team_id and tm.account_id = d.account_id",
                Tuple.of(column(places, UUID[]::new, BatchChanges.TeamMember::teamId),
                        column(places, UUID[]::new, BatchChanges.TeamMember::accountId))));
    }

    /** The team places a JIT member's sign-ins made, SCIM's once SCIM adopted the member (V33). */
    private static void takeOverTeamPlaces(List<Statement> out, Set<UUID> accountIds) {
        if (accountIds.isEmpty()) {
            return;
        }
        out.add(new Statement("update team_member set placed_at_sign_in = false where account_id = any($1) "
                + "and placed_at_sign_in", Tuple.of(uuids(accountIds))));
    }

    /** Memberships that end because the placement moved: member.removed each, seats freed (V9, V13 triggers). */
    private static void deleteMembers(List<Statement> out, List<BatchState.Member> members) {
        if (members.isEmpty()) {
            return;
        }
        out.add(new Statement("delete from member m using unnest($1::uuid[], $2::uuid[]) as d(account_id, organization_id) "
                + "where m.account_id = d.account_id and m.organization_id = d.organization_id",
                Tuple.of(column(members, UUID[]::new, m -> m.accountId),
                        column(members, UUID[]::new, m -> m.organizationId))));
    }

    private static void updateAccounts(List<Statement> out, Collection<BatchState.Account> accounts) {
        if (accounts.isEmpty()) {
            return;
        }
        // The connection changes only when another connection adopts the account; and an account is changed only
        // while it has the connection the batch read it with: another may have adopted it meanwhile (then the batch
        // is applied again, StaleAccounts, so that none of its member rows are written either).
        List<Object> columns = new ArrayList<>(accountColumns(accounts));
        columns.add(column(accounts, UUID[]::new, a -> a.readConnectionId));
        out.add(new Statement("update account a set user_name = u.user_name, external_id = u.external_id, "
                + "active = u.active, source = u.source, attributes = cast(u.attributes as jsonb), version = u.version, "
                + "updated_at = u.updated_at, deactivated_at = u.deactivated_at, connection_id = u.connection_id "
                + "from unnest($1::uuid[], $2::text[], $3::text[], $4::bool[], $5::text[], $6::text[], $7::int8[], "
                + "$8::timestamptz[], $9::timestamptz[], $10::uuid[], $11::uuid[]) as u(id, user_name, external_id, "
                + "active, source, attributes, version, updated_at, deactivated_at, connection_id, read_connection_id) "
                + "where a.id = u.id and a.connection_id = u.read_connection_id",
                Tuple.from(columns), accounts.size()));
    }

    private static void insertAccounts(List<Statement> out, Collection<BatchState.Account> accounts) {
        if (accounts.isEmpty()) {
            return;
        }
        // A created userName is no longer removed (scim_removal, written before this by deleteAccounts: a delete
        // and a create of one userName in one batch leave it cleared). Cleared in the insert's own statement, as
        // creates are the hot path (docs/performance.md counts statements per create).
        out.add(new Statement("with created_again as (delete from scim_removal r using unnest($10::uuid[], $2::text[]) "
                + "as c(connection_id, user_name) where r.connection_id = c.connection_id "
                + "and r.user_name_lower = lower(c.user_name)) "
                + "insert into account (id, user_name, external_id, active, source, attributes, version, "
                + "updated_at, deactivated_at, connection_id, created_at) select u.id, u.user_name, u.external_id, "
                + "u.active, u.source, cast(u.attributes as jsonb), u.version, u.updated_at, u.deactivated_at, "
                + "u.connection_id, u.created_at from unnest($1::uuid[], $2::text[], $3::text[], $4::bool[], $5::text[], "
                + "$6::text[], $7::int8[], $8::timestamptz[], $9::timestamptz[], $10::uuid[], $11::timestamptz[]) "
                + "as u(id, user_name, external_id, active, source, attributes, version, updated_at, deactivated_at, "
                + "connection_id, created_at)",
                Tuple.from(withCreation(accounts))));
    }

    private static List<Object> withCreation(Collection<BatchState.Account> accounts) {
        List<Object> columns = new ArrayList<>(accountColumns(accounts));
        columns.add(column(accounts, OffsetDateTime[]::new, a -> offset(a.createdAt)));
        return columns;
    }

    private static List<Object> accountColumns(Collection<BatchState.Account> accounts) {
        return List.of(
                column(accounts, UUID[]::new, a -> a.id),
                column(accounts, String[]::new, a -> a.userName),
                column(accounts, String[]::new, a -> a.externalId),
                column(accounts, Boolean[]::new, a -> a.active),
                column(accounts, String[]::new, a -> a.source),
                column(accounts, String[]::new, a -> a.attributes.toString()),
                column(accounts, Long[]::new, a -> a.version),
                column(accounts, OffsetDateTime[]::new, a -> offset(a.updatedAt)),
                column(accounts, OffsetDateTime[]::new, a -> offset(a.deactivatedAt)),
                column(accounts, UUID[]::new, a -> a.connectionId));
    }

    private static void updateMembers(List<Statement> out, Collection<BatchState.Member> members) {
        if (members.isEmpty()) {
            return;
        }
        out.add(new Statement("update member m set role = u.role, state = u.state, source = u.source, "
                + "attribute_role = u.attribute_role "
                + "from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[]) "
                + "as u(account_id, organization_id, role, state, source, attribute_role) "
                + "where m.account_id = u.account_id and m.organization_id = u.organization_id",
                Tuple.from(List.of(column(members, UUID[]::new, m -> m.accountId),
                        column(members, UUID[]::new, m -> m.organizationId),
                        column(members, String[]::new, m -> m.role), column(members, String[]::new, m -> m.state),
                        column(members, String[]::new, m -> m.source),
                        column(members, String[]::new, m -> m.attributeRole)))));
    }

    private static void insertMembers(List<Statement> out, Collection<BatchState.Member> members) {
        if (members.isEmpty()) {
            return;
        }
        out.add(new Statement("insert into member (account_id, organization_id, role, state, source, attribute_role, "
                + "created_at) select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], "
                + "$6::text[], $7::timestamptz[])",
                Tuple.from(List.of(column(members, UUID[]::new, m -> m.accountId),
                        column(members, UUID[]::new, m -> m.organizationId), column(members, String[]::new, m -> m.role),
                        column(members, String[]::new, m -> m.state), column(members, String[]::new, m -> m.source),
                        column(members, String[]::new, m -> m.attributeRole),
                        column(members, OffsetDateTime[]::new, m -> offset(m.createdAt))))));
    }

    private static void insertTeams(List<Statement> out, BatchChanges changes) {
        if (!changes.insertedTeams.isEmpty()) {
            out.add(new Statement("insert into team (id, organization_id, name) "
                    + "select * from unnest($1::uuid[], $2::uuid[], $3::text[])",
                    Tuple.of(column(changes.insertedTeams, UUID[]::new, BatchState.Team::id),
                            column(changes.insertedTeams, UUID[]::new, BatchState.Team::organizationId),
                            column(changes.insertedTeams, String[]::new, BatchState.Team::name))));
        }
        List<BatchChanges.TeamMember> members = changes.insertedTeamMembers;
        if (!members.isEmpty()) {
            out.add(new Statement("insert into team_member (team_id, account_id, created_at) "
                    + "select * from unnest($1::uuid[], $2::uuid[], $3::timestamptz[])",
                    Tuple.of(column(members, UUID[]::new, BatchChanges.TeamMember::teamId),
                            column(members, UUID[]::new, BatchChanges.TeamMember::accountId),
                            column(members, OffsetDateTime[]::new, m -> offset(m.createdAt())))));
        }
    }

    /** What the guard held, decided and counted (V15); the held_change triggers write the guard events. */
    private static void guardChanges(List<Statement> out, BatchChanges changes) {
        List<BatchChanges.HeldChange> held = changes.heldChanges;
        List<BatchChanges.DecidedHold> decided = changes.decidedHolds;
        List<BatchChanges.Deprovisioning> counted = changes.deprovisionings;
        if (!held.isEmpty()) {
            out.add(new Statement("insert into held_change (id, connection_id, command_id, account_id, account_version, "
                    + "user_name, kind, command, held_at) select h.id, h.connection_id, h.command_id, h.account_id, "
                    + "h.account_version, h.user_name, h.kind, cast(h.command as jsonb), h.held_at from unnest("
                    + "$1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::int8[], $6::text[], $7::text[], $8::text[], "
                    + "$9::timestamptz[]) with ordinality as h(id, connection_id, command_id, account_id, "
                    + "account_version, user_name, kind, command, held_at, n) order by h.n",
                    Tuple.from(List.of(column(held, UUID[]::new, BatchChanges.HeldChange::id),
                            column(held, UUID[]::new, BatchChanges.HeldChange::connectionId),
                            column(held, UUID[]::new, BatchChanges.HeldChange::commandId),
                            column(held, UUID[]::new, BatchChanges.HeldChange::accountId),
                            column(held, Long[]::new, BatchChanges.HeldChange::accountVersion),
                            column(held, String[]::new, BatchChanges.HeldChange::userName),
                            column(held, String[]::new, BatchChanges.HeldChange::kind),
                            column(held, String[]::new, h -> new String(ContractJson.write(h.command()),
                                    java.nio.charset.StandardCharsets.UTF_8)),
                            column(held, OffsetDateTime[]::new, h -> offset(h.heldAt()))))));
        }
        if (!decided.isEmpty()) {
            out.add(new Statement("update held_change h set state = d.state, decided_at = d.decided_at, "
                    + "approval_command_id = d.approval_command_id from unnest($1::uuid[], $2::text[], "
                    + "$3::timestamptz[], $4::uuid[]) as d(id, state, decided_at, approval_command_id) "
                    + "where h.id = d.id and h.state = 'held'",
                    Tuple.of(column(decided, UUID[]::new, BatchChanges.DecidedHold::id),
                            column(decided, String[]::new, BatchChanges.DecidedHold::state),
                            column(decided, OffsetDateTime[]::new, d -> offset(d.decidedAt())),
                            column(decided, UUID[]::new, BatchChanges.DecidedHold::approvalCommandId))));
        }
        if (!changes.rebasedHolds.isEmpty()) {
            out.add(new Statement("update held_change h set account_version = r.account_version "
                    + "from unnest($1::uuid[], $2::int8[]) as r(id, account_version) where h.id = r.id "
                    + "and h.state = 'held'",
                    Tuple.of(changes.rebasedHolds.keySet().toArray(new UUID[0]),
                            changes.rebasedHolds.values().toArray(new Long[0]))));
        }
        if (!counted.isEmpty()) {
            out.add(new Statement("insert into deprovisioning (connection_id, account_id, applied_at) "
                    + "select * from unnest($1::uuid[], $2::uuid[], $3::timestamptz[])",
                    Tuple.of(column(counted, UUID[]::new, BatchChanges.Deprovisioning::connectionId),
                            column(counted, UUID[]::new, BatchChanges.Deprovisioning::accountId),
                            column(counted, OffsetDateTime[]::new, d -> offset(d.appliedAt())))));
        }
    }

    private static void insertProcessed(List<Statement> out, List<BatchChanges.Processed> processed) {
        if (processed.isEmpty()) {
            return;
        }
        out.add(new Statement("insert into processed_command (command_id, connection_id, outcome, processed_at) "
                + "select u.command_id, u.connection_id, cast(u.outcome as jsonb), u.processed_at "
                + "from unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[]) "
                + "as u(command_id, connection_id, outcome, processed_at)",
                Tuple.of(column(processed, UUID[]::new, p -> p.outcome().commandId()),
                        column(processed, UUID[]::new, BatchChanges.Processed::connectionId),
                        column(processed, String[]::new, p -> new String(ContractJson.write(p.outcome()),
                                java.nio.charset.StandardCharsets.UTF_8)),
                        column(processed, OffsetDateTime[]::new, p -> offset(p.outcome().completedAt())))));
    }

    private static void insertErrors(List<Statement> out, List<BatchChanges.ProvisioningError> errors) {
        if (errors.isEmpty()) {
            return;
        }
        out.add(new Statement("insert into provisioning_error (id, connection_id, command_id, request_id, operation, "
                + "user_name, reason, detail, suggested_fix, occurred_at) select * from unnest($1::uuid[], $2::uuid[], "
                + "$3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::timestamptz[])",
                Tuple.from(List.of(column(errors, UUID[]::new, BatchChanges.ProvisioningError::id),
                        column(errors, UUID[]::new, BatchChanges.ProvisioningError::connectionId),
                        column(errors, UUID[]::new, BatchChanges.ProvisioningError::commandId),
                        column(errors, String[]::new, BatchChanges.ProvisioningError::requestId),
                        column(errors, String[]::new, BatchChanges.ProvisioningError::operation),
                        column(errors, String[]::new, BatchChanges.ProvisioningError::userName),
                        column(errors, String[]::new, BatchChanges.ProvisioningError::reason),
                        column(errors, String[]::new, BatchChanges.ProvisioningError::detail),
                        column(errors, String[]::new, BatchChanges.ProvisioningError::suggestedFix),
                        column(errors, OffsetDateTime[]::new, e -> offset(e.occurredAt()))))));
    }

    static <T, C> C[] column(Collection<T> rows, java.util.function.IntFunction<C[]> array,
            Function<T, C> value) {
        return rows.stream().map(value).toArray(array);
    }

    static Uni<Void> query(SqlConnection sql, String statement, Tuple arguments,
            java.util.function.Consumer<Row> each) {
        return sql.preparedQuery(statement).execute(arguments).invoke(rows -> rows.forEach(each)).replaceWithVoid();
    }

    static Uni<Void> execute(SqlConnection sql, String statement, Tuple arguments) {
        return sql.preparedQuery(statement).execute(arguments).replaceWithVoid();
    }

    /**
     * A statement of {@link #write} and its arguments; {@code rows}, the rows it must change (else the batch read
     * stale accounts), or -1.
     */
    private record Statement(String sql, Tuple arguments, int rows) {
        Statement(String sql, Tuple arguments) {
            this(sql, arguments, -1);
        }
    }

    /**
     * The statements, each a single statement's {@code Uni}, sent one after another without waiting for the answers
     * between them: the connection pipelines them, PostgreSQL runs them in the order sent, and a batch pays one round
     * trip per step instead of one per statement (each round trip waits for two processes to be scheduled on a busy
     * machine, while the batch's transaction holds up every create in it). Completes when all have answered; fails
     * with the first failure, which is the failed statement's own (the ones after it fail only as the transaction is
     * aborted, and answer later).
     */
    static Uni<Void> inOrder(List<Uni<Void>> statements) {
        return statements.isEmpty() ? done() : Uni.join().all(statements).andFailFast().replaceWithVoid();
    }

    static Uni<Void> done() {
        return Uni.createFrom().voidItem();
    }

    static UUID[] uuids(Collection<UUID> ids) {
        return ids.toArray(new UUID[0]);
    }

    private static OffsetDateTime offset(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) ContractJson.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an account's attributes are not a JSON object", e);
        }
    }

}
