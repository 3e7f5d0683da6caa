package dev.scimsync.membership.domain;

import dev.scimsync.contracts.GroupPlacements;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Groups place people: applies the placements group-sync-service published for SCIM users (the latest record of
 * each user in a poll; each record is the user's whole set) to the rows a batch read ({@link BatchState}). A user
 * becomes a member of each organization its mapped groups name, with the highest role they give (or its attribute
 * role, if higher), taking a seat while active; it leaves an organization only groups kept it in once no group
 * names it. A placement refused for want of seats is kept and listed on the troubleshooting view; it is made
 * once seats are added ({@link #retry}) or at the user's next change. Pure: no database.
 */
public final class GroupPlacementBatch {

    /** One organization a user's groups place it in: the highest role they give there, and the groups. */
    public record Placement(UUID accountId, UUID organizationId, String role, List<String> groups) {
    }

    /** The placements to store (replacing those of {@code accounts}), and the membership rows that follow. */
    public record Result(Set<UUID> accounts, List<Placement> placements, BatchChanges changes) {
    }

    private final Map<UUID, GroupPlacements> latest;
    private final Instant now;

    /** @param records in the order they were published; a user's later record replaces its earlier ones */
    public GroupPlacementBatch(List<GroupPlacements> records, Instant now) {
        Map<UUID, GroupPlacements> byUser = new LinkedHashMap<>();
        for (GroupPlacements record : records) {
            UserCommandBatch.uuid(record.userId()).ifPresent(user -> {
                byUser.remove(user);
                byUser.put(user, record);
            });
        }
        this.latest = byUser;
        this.now = now;
    }

    public Set<UUID> accountIds() {
        return latest.keySet();
    }

    /** Every organization the records name (their rows are locked before the memberships are read). */
    public Set<String> organizations() {
        Set<String> names = new LinkedHashSet<>();
        latest.values().forEach(record -> record.placements().forEach(place -> names.add(place.organization())));
        return names;
    }

    public Result apply(BatchState state) {
        BatchChanges changes = new BatchChanges();
        ScimMemberships memberships = new ScimMemberships(state, changes, now);
        List<Placement> placements = new ArrayList<>();
        Set<UUID> accounts = new LinkedHashSet<>();
        for (Map.Entry<UUID, GroupPlacements> entry : latest.entrySet()) {
            BatchState.Account account = state.accountsById.get(entry.getKey());
            GroupPlacements record = entry.getValue();
            // Gone (deleted after the record was written), or not SCIM's to place: nothing to do.
            if (account == null || !account.managedByScim()
                    || !account.connectionId.toString().equals(record.connectionId())) {
                continue;
            }
            BatchState.Connection connection = state.connections.get(account.connectionId);
            Map<UUID, Placement> wanted = wanted(state, connection, account, record, changes);
            accounts.add(account.id);
            placements.addAll(wanted.values());
            state.groupRolesByAccount.remove(account.id);
            wanted.values().forEach(p -> state.groupPlacement(account.id, p.organizationId(), p.role()));
            UUID causeId = UserCommandBatch.uuid(record.eventId()).orElseGet(UUID::randomUUID);
            apply(state, memberships, account, changes, connection.id(), causeId, now);
        }
        return new Result(accounts, placements, changes);
    }

    /**
     * Places again every account whose groups place it in {@code organization} but which is not an active
     * member there - seats were missing - once an admin added seats. {@code state} holds those accounts, their
     * memberships and group placements, and the organizations they name.
     */
    public static BatchChanges retry(BatchState state, Instant now) {
        BatchChanges changes = new BatchChanges();
        ScimMemberships memberships = new ScimMemberships(state, changes, now);
        for (BatchState.Account account : List.copyOf(state.accountsById.values())) {
            if (account.managedByScim() && account.active) {
                apply(state, memberships, account, changes, account.connectionId, UUID.randomUUID(), now);
            }
        }
        return changes;
    }

    /** The account's memberships made to follow its group placements (in {@code state}) and attribute placement. */
    private static void apply(BatchState state, ScimMemberships memberships, BatchState.Account account,
            BatchChanges changes, UUID connectionId, UUID causeId, Instant now) {
        Map<UUID, String> groups = memberships.groupRoles(account);
        for (BatchState.Member member : List.copyOf(memberships.of(account).values())) {
            if (!MemberSource.SCIM.wireName().equals(member.source)) {
                continue;
            }
            String groupRole = groups.get(member.organizationId);
            if (groupRole == null && member.attributeRole == null) {
                memberships.leave(account, member);
            } else if (!memberships.follow(account, member, member.attributeRole, groupRole)) {
                changes.errors.add(ScimMemberships.seatRefused(connectionId, causeId, null, account,
                        state.organizationsById.get(member.organizationId), now));
            }
        }
        if (!account.active) {
            return; // Placed in the organizations it is missing from when the IdP re-activates it.
        }
        for (Map.Entry<UUID, String> group : groups.entrySet()) {
            BatchState.Organization organization = state.organizationsById.get(group.getKey());
            if (organization != null && !memberships.of(account).containsKey(organization.id)) {
                memberships.joinByGroup(account, organization, group.getValue(), connectionId, causeId, null)
                        .ifPresent(changes.errors::add);
            }
        }
    }

    /**
     * The organizations the record names that the account's connection may place users in, each with the
     * highest role its groups give; an organization not linked to the connection is refused, and said so.
     */
    private Map<UUID, Placement> wanted(BatchState state, BatchState.Connection connection, BatchState.Account account,
            GroupPlacements record, BatchChanges changes) {
        Map<UUID, String> roles = new TreeMap<>();
        Map<UUID, List<String>> groups = new TreeMap<>();
        for (GroupPlacements.Place place : record.placements()) {
            BatchState.Organization organization = connection == null || place.organization() == null ? null
                    : Placements.linked(connection.defaults(), place.organization())
                    .map(state.organizationsByName::get).orElse(null);
            Optional<Role> role = role(place.role());
            if (organization == null || role.isEmpty()) {
                changes.errors.add(new BatchChanges.ProvisioningError(UUID.randomUUID(), connection.id(),
                        UserCommandBatch.uuid(record.eventId()).orElseGet(UUID::randomUUID), null, "group.placement",
                        account.userName,
                        dev.scimsync.contracts.CommandFailure.Reason.INVALID_VALUE.name(),
                        "group '" + place.group() + "' places " + account.userName + " in organization '"
                                + place.organization() + "' with role '" + place.role() + "', which this connection "
                                + "cannot: the organization must exist and be linked to connection " + connection.name()
                                + ", and the role be member, editor or owner",
                        "Link the organization to the connection, or map the group elsewhere.", now));
                continue;
            }
            roles.merge(organization.id, role.get().wireName(), Role::highest);
            groups.computeIfAbsent(organization.id, id -> new ArrayList<>()).add(place.group());
        }
        Map<UUID, Placement> wanted = new LinkedHashMap<>();
        roles.forEach((organization, role) -> wanted.put(organization,
                new Placement(account.id, organization, role, groups.get(organization))));
        return wanted;
    }

    private static Optional<Role> role(String name) {
        try {
            return Optional.of(Role.fromWireName(name == null ? "member" : name));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
