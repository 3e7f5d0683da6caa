package dev.scimsync.membership.domain;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.UserProfile;
import dev.scimsync.contracts.UserSnapshot;
import dev.scimsync.runtime.CaseInsensitive;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What a batch of user commands reads before it is applied: the rows its commands can touch, loaded with a
 * few set-based queries, then changed in memory by {@link UserCommandBatch} in command order.
 */
public final class BatchState {

    /**
     * A connection with what placing its users needs.
     *
     * @param adoptFrom the connection whose active accounts this one's SCIM creates adopt (a connection-to-connection
     *                  migration), or null
     * @param scimEnabledSince when SCIM was first switched on, or null: the JIT accounts created since are SCIM's
     *                  to adopt without a migration
     */
    public record Connection(UUID id, String name, boolean scimEnabled, boolean adoptJit, UUID adoptFrom,
            Placements.ConnectionDefaults defaults, Instant scimEnabledSince) {

        public Connection(UUID id, String name, boolean scimEnabled, boolean adoptJit, UUID adoptFrom,
                Placements.ConnectionDefaults defaults) {
            this(id, name, scimEnabled, adoptJit, adoptFrom, defaults, null);
        }

        /**
         * Whether a SCIM create adopts this JIT account of the connection: after the JIT-to-SCIM migration, any;
         * else one a sign-in created once SCIM was on - the person signed in before the IdP's cycle reached them.
         */
        public boolean adopts(Account jitAccount) {
            return adoptJit || scimEnabledSince != null && !jitAccount.createdAt.isBefore(scimEnabledSince);
        }
    }

    /**
     * A connection's mass-deprovisioning guard as this batch read it: its settings, the active SCIM members it
     * has, the deactivations and removals applied within its window, and the changes it holds undecided.
     * Counted on as the batch applies or holds more.
     */
    public static final class Guard {
        final boolean enabled;
        final int percent;
        final int maxMembers;
        final int minMembers;
        int activeMembers;
        int deprovisioned;
        int pending;

        public Guard(boolean enabled, int percent, int maxMembers, int minMembers, int activeMembers,
                int deprovisioned, int pending) {
            this.enabled = enabled;
            this.percent = percent;
            this.maxMembers = maxMembers;
            this.minMembers = minMembers;
            this.activeMembers = activeMembers;
            this.deprovisioned = deprovisioned;
            this.pending = pending;
        }

        /**
         * How many deactivations and removals the window lets through: {@code percent} % of the members the
         * window began with (those active now and those it took), never more than {@code maxMembers}, and never
         * fewer than {@code minMembers} (a small connection's ordinary off-boarding).
         */
        int allowed() {
            return Math.max(minMembers, Math.min((activeMembers + deprovisioned) * percent / 100, maxMembers));
        }

        /** Whether the next deactivation or removal is held: the threshold is reached, or changes already wait. */
        boolean holds() {
            return enabled && (pending > 0 || deprovisioned >= allowed());
        }
    }

    /**
     * A change the guard holds for an account, undecided, with the account's version when it was held and what it
     * is ({@link MemberTransition#DEACTIVATE} or {@link MemberTransition#REMOVE}).
     */
    public record PendingHold(UUID id, UUID accountId, long accountVersion, MemberTransition transition) {
    }

    /** An account row; changed in place by the batch. */
    public static final class Account {
        public final UUID id;
        /** Changes only when another connection adopts the account ({@link BatchState#adopt}). */
        public UUID connectionId;
        /**
         * The connection the account had when the batch read it: its writes apply only while it still has it, so a
         * batch of the old connection running beside the adoption cannot delete the adopted account or take it back.
         */
        public final UUID readConnectionId;
        public String userName;
        public String externalId;
        public boolean active;
        /** scim, jit, manual or invite: SCIM changes only accounts whose source is scim. */
        public String source;
        public ObjectNode attributes;
        public long version;
        public final Instant createdAt;
        public Instant updatedAt;
        /** When the IdP deactivated it; null while active. Sign-ins say it when they are refused. */
        public Instant deactivatedAt;
        /**
         * The organizations an admin removed this account from by hand: neither SCIM, its groups nor a sign-in
         * places it there again until an admin adds it back (V30).
         */
        public Set<UUID> removedByAdmin = Set.of();

        public Account(UUID id, UUID connectionId, String userName, String externalId, boolean active, String source,
                ObjectNode attributes, long version, Instant createdAt, Instant updatedAt, Instant deactivatedAt) {
            this.id = id;
            this.connectionId = connectionId;
            this.readConnectionId = connectionId;
            this.userName = userName;
            this.externalId = externalId;
            this.active = active;
            this.source = source;
            this.attributes = attributes;
            this.version = version;
            this.createdAt = createdAt;
            this.updatedAt = updatedAt;
            this.deactivatedAt = deactivatedAt;
        }

        /** Whether an admin removed the account from that organization by hand (nothing of the IdP's places it there). */
        public boolean removedByAdminFrom(UUID organizationId) {
            return removedByAdmin.contains(organizationId);
        }

        boolean managedByScim() {
            return MemberSource.SCIM.wireName().equals(source);
        }

        void replaceProfile(UserProfile profile, Instant now) {
            if (!profile.active() && active) {
                deactivatedAt = now;
            } else if (profile.active()) {
                deactivatedAt = null;
            }
            userName = profile.userName();
            externalId = profile.externalId();
            active = profile.active();
            attributes = profile.attributes();
            version++;
            updatedAt = now;
        }

        public UserSnapshot toSnapshot() {
            return new UserSnapshot(id.toString(), connectionId.toString(),
                    new UserProfile(userName, externalId, active, attributes), version, createdAt, updatedAt);
        }
    }

    /** A membership row (account in organization); changed in place by the batch. */
    public static final class Member {
        public final UUID accountId;
        public final UUID organizationId;
        /** The highest of {@link #attributeRole} and the role the account's mapped groups give here. */
        public String role;
        public String state;
        public String source;
        /** For a SCIM member, the role its attribute placement gives here; null when only groups keep it here. */
        public String attributeRole;
        public final Instant createdAt;

        public Member(UUID accountId, UUID organizationId, String role, String state, String source,
                String attributeRole, Instant createdAt) {
            this.accountId = accountId;
            this.organizationId = organizationId;
            this.role = role;
            this.state = state;
            this.source = source;
            this.attributeRole = attributeRole;
            this.createdAt = createdAt;
        }
    }

    /** An organization with its seat limit (null: unlimited) and the seats taken, as locked for this batch. */
    public static final class Organization {
        public final UUID id;
        public final String name;
        public final Integer seats;
        int memberCount;

        public Organization(UUID id, String name, Integer seats, int memberCount) {
            this.id = id;
            this.name = name;
            this.seats = seats;
            this.memberCount = memberCount;
        }

        boolean full() {
            return seats != null && memberCount >= seats;
        }
    }

    public record Team(UUID id, UUID organizationId, String name) {
    }

    final Map<UUID, CommandOutcome> processed = new HashMap<>();
    final Map<UUID, Connection> connections = new HashMap<>();
    final Map<UUID, Account> accountsById = new HashMap<>();
    final Map<String, Account> accountsByUserName = new HashMap<>();
    final Map<UUID, Map<UUID, Member>> membersByAccount = new HashMap<>();
    final Map<String, Organization> organizationsByName = new HashMap<>();
    final Map<UUID, Organization> organizationsById = new HashMap<>();
    final Map<String, Team> teams = new HashMap<>();
    final Map<UUID, Guard> guards = new HashMap<>();
    final Map<UUID, List<PendingHold>> pendingHoldsByAccount = new HashMap<>();
    /** Per account, the organizations its mapped IdP groups place it in: organization id to the highest role. */
    final Map<UUID, Map<UUID, String>> groupRolesByAccount = new HashMap<>();
    /** Per account, the teams it is in: team id to the team's organization. */
    final Map<UUID, Map<UUID, UUID>> teamPlacesByAccount = new HashMap<>();
    /** Per account, the teams of {@link #teamPlacesByAccount} a JIT sign-in's groups put it in (V33). */
    final Map<UUID, Set<UUID>> signInTeamsByAccount = new HashMap<>();

    public void processed(CommandOutcome outcome) {
        processed.put(outcome.commandId(), outcome);
    }

    public void connection(Connection connection) {
        connections.put(connection.id(), connection);
    }

    public void account(Account account) {
        accountsById.put(account.id, account);
        accountsByUserName.put(userNameKey(account.connectionId, account.userName), account);
    }

    /**
     * {@code account}, another connection's, is {@code connection}'s from now on (a connection-to-connection
     * migration): it is found under its new connection, and is no longer another connection's member of its
     * organizations.
     */
    void adopt(Account account, UUID connection) {
        UUID previous = account.connectionId;
        accountsByUserName.remove(userNameKey(previous, account.userName));
        account.connectionId = connection;
        accountsByUserName.put(userNameKey(connection, account.userName), account);
        otherMembers.values().forEach(members -> members.removeIf(member -> previous.equals(member.connectionId())
                && CaseInsensitive.equal(member.email(), account.userName)));
    }

    public void member(Member member) {
        membersByAccount.computeIfAbsent(member.accountId, id -> new HashMap<>()).put(member.organizationId, member);
    }

    public void groupPlacement(UUID accountId, UUID organizationId, String role) {
        groupRolesByAccount.computeIfAbsent(accountId, id -> new HashMap<>()).put(organizationId, role);
    }

    public void guard(UUID connectionId, Guard guard) {
        guards.put(connectionId, guard);
    }

    public void pendingHold(PendingHold hold) {
        pendingHoldsByAccount.computeIfAbsent(hold.accountId(), id -> new ArrayList<>()).add(hold);
    }

    public void organization(Organization organization) {
        organizationsByName.put(organization.name, organization);
        organizationsById.put(organization.id, organization);
    }

    /** An organization read after others: the one already read (and maybe counted on) stays. */
    public void organizationIfAbsent(Organization organization) {
        if (!organizationsById.containsKey(organization.id)) {
            organization(organization);
        }
    }

    /** The organizations not read yet where an account read has a membership SCIM did not make (invitation, JIT). */
    public Set<UUID> organizationsOfMembersNotFromScim() {
        Set<UUID> ids = new HashSet<>();
        membersByAccount.values().forEach(members -> members.values().forEach(member -> {
            if (!MemberSource.SCIM.wireName().equals(member.source)
                    && !organizationsById.containsKey(member.organizationId)) {
                ids.add(member.organizationId);
            }
        }));
        return ids;
    }

    /** The connections of the accounts read. */
    public Set<UUID> accountConnectionIds() {
        Set<UUID> ids = new HashSet<>();
        accountsById.values().forEach(account -> ids.add(account.connectionId));
        return ids;
    }

    /** The userNames of the accounts read, lower case. */
    public Set<String> accountUserNames() {
        Set<String> names = new HashSet<>();
        accountsById.values().forEach(account -> names.add(CaseInsensitive.lower(account.userName)));
        return names;
    }

    public void team(Team team) {
        teams.put(teamKey(team.organizationId(), team.name()), team);
    }

    public void teamMember(UUID teamId, UUID organizationId, UUID accountId, boolean placedAtSignIn) {
        teamPlacesByAccount.computeIfAbsent(accountId, id -> new HashMap<>()).put(teamId, organizationId);
        if (placedAtSignIn) {
            signInTeamsByAccount.computeIfAbsent(accountId, id -> new HashSet<>()).add(teamId);
        }
    }

    /** Whether a JIT sign-in's groups put the account in that team (the IdP's SCIM updates leave it there). */
    boolean placedAtSignIn(UUID accountId, UUID teamId) {
        return signInTeamsByAccount.getOrDefault(accountId, Set.of()).contains(teamId);
    }

    /**
     * A member of an organization through an account a connection does not own: added by hand (no connection), or
     * provisioned, signed in or invited through another connection linked to that organization.
     */
    public record OtherMember(String organization, String email, UUID connectionId, String connectionName,
            String source) {

        public boolean addedByHand() {
            return connectionId == null;
        }

        /** Why an active SCIM user of another connection cannot become this person's second member here. */
        public String refusal(String userName) {
            return addedByHand()
                    ? "'" + userName + "' was added to organization " + organization + " by hand; SCIM does not "
                            + "manage such members - remove them by hand first"
                    : "'" + userName + "' is a member of organization " + organization + " through connection "
                            + connectionName + " (source " + source + "); one person is one member of an "
                            + "organization - remove that member, or unassign the user from " + connectionName
                            + "'s IdP, first";
        }

        /** Why a mapped group does not place this person here: the end of "a group places x in y, where ...". */
        public String placementRefusal(String userName) {
            return addedByHand()
                    ? userName + " was added by hand; SCIM does not manage such members, so the member added by hand "
                            + "stays as it is"
                    : userName + " is a member through connection " + connectionName + " (source " + source + "); "
                            + "one person is one member of an organization, so that member stays as it is";
        }
    }

    private final Map<String, List<OtherMember>> otherMembers = new HashMap<>();

    public void otherMember(OtherMember member) {
        otherMembers.computeIfAbsent(memberKey(member.organization(), member.email()), key -> new ArrayList<>())
                .add(member);
    }

    /** An account added by hand (no connection) with this email is a member of the organization. */
    public void manualMember(String organization, String email) {
        otherMember(new OtherMember(organization, email, null, null, MemberSource.MANUAL.wireName()));
    }

    /**
     * The member this email already is in the organization through an account connection {@code connectionId} does
     * not own (of the emails the batch read): the same person would be listed twice if that connection placed its
     * own account there too. One added by hand first.
     */
    Optional<OtherMember> otherMember(String organization, String email, UUID connectionId) {
        return otherMember(organization, email, connectionId, null);
    }

    /** As {@link #otherMember(String, String, UUID)}, but not counting {@code adopted}'s member (null: none). */
    Optional<OtherMember> otherMember(String organization, String email, UUID connectionId, UUID adopted) {
        return otherMembers.getOrDefault(memberKey(organization, email), List.of()).stream()
                .filter(member -> !connectionId.equals(member.connectionId())
                        && (adopted == null || !adopted.equals(member.connectionId())))
                .min(Comparator.comparing(member -> !member.addedByHand()));
    }

    /** The organizations this email is a member of through {@code connectionId}'s account (of the emails read). */
    Set<String> organizationsOf(String email, UUID connectionId) {
        Set<String> organizations = new HashSet<>();
        otherMembers.values().forEach(members -> members.stream()
                .filter(member -> connectionId.equals(member.connectionId()) && CaseInsensitive.equal(member.email(), email))
                .forEach(member -> organizations.add(member.organization())));
        return organizations;
    }

    private static String memberKey(String organization, String email) {
        return organization + "/" + CaseInsensitive.lower(email);
    }

    static String userNameKey(UUID connectionId, String userName) {
        return connectionId + "/" + CaseInsensitive.lower(userName);
    }

    static String teamKey(UUID organizationId, String teamName) {
        return organizationId + "/" + CaseInsensitive.lower(teamName);
    }
}
