package dev.scimsync.membership.domain;

import dev.scimsync.contracts.CommandFailure;
import dev.scimsync.contracts.CommandFailure.Reason;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.contracts.UserCommandType;
import dev.scimsync.runtime.CaseInsensitive;
import dev.scimsync.runtime.TimeOrderedIds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The membership rules for a batch of user commands, applied in command order to the rows the batch read
 * ({@link BatchState}), producing each command's outcome and the rows to write ({@link BatchChanges}).
 * Pure: no database, so the rules are tested without one.
 *
 * <p>A batch given to {@link #apply} must touch each user at most once ({@link #split} cuts a poll into such
 * batches): then the set-based writes - one statement per kind of change - describe exactly the changes the
 * commands would have made one after another, and every change of a member is still one event.
 */
public final class UserCommandBatch {

    /**
     * A command with the W3C trace context it arrived with (or null), and - for a change the mass-deprovisioning
     * guard held that an admin approved - the held change's id: applied past the guard, once.
     */
    public record Pending(UserCommand command, String traceparent, UUID approvedHold) {
        public Pending(UserCommand command, String traceparent) {
            this(command, traceparent, null);
        }
    }

    /** What to read for a batch once its connections are known. */
    public record Reads(Set<UUID> accountIds, Map<UUID, Set<String>> userNamesByConnection, Set<String> organizations,
            Set<String> otherMemberEmails, Set<TeamName> teams) {
    }

    public record TeamName(String organization, String team) {
    }

    /** Each command's outcome, in command order, and the rows that make them true. */
    public record Result(List<CommandOutcome> outcomes, BatchChanges changes) {
    }

    private final List<Pending> commands;
    private final Instant now;

    /** @param now the time the batch's changes carry (PostgreSQL keeps microseconds; pass millisecond precision) */
    public UserCommandBatch(List<Pending> commands, Instant now) {
        this.commands = List.copyOf(commands);
        this.now = now;
    }

    /**
     * Cuts commands (in order) into consecutive batches in which no user - by id or by userName - is named
     * twice. An IdP's initial sync is one batch; two writes of one user in one poll land in two.
     */
    public static List<List<Pending>> split(List<Pending> commands) {
        List<List<Pending>> batches = new ArrayList<>();
        List<Pending> current = new ArrayList<>();
        Set<String> touched = new HashSet<>();
        for (Pending pending : commands) {
            Set<String> keys = keys(pending.command());
            if (keys.stream().anyMatch(touched::contains)) {
                batches.add(current);
                current = new ArrayList<>();
                touched.clear();
            }
            current.add(pending);
            touched.addAll(keys);
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }

    private static Set<String> keys(UserCommand command) {
        Set<String> keys = new HashSet<>();
        if (command.userId() != null) {
            keys.add("id:" + command.connectionId() + "/" + command.userId().toLowerCase(Locale.ROOT));
        }
        if (command.profile() != null) {
            keys.add("name:" + command.connectionId() + "/" + CaseInsensitive.lower(command.profile().userName()));
        }
        return keys;
    }

    public Set<UUID> commandIds() {
        Set<UUID> ids = new LinkedHashSet<>();
        commands.forEach(p -> ids.add(p.command().commandId()));
        return ids;
    }

    public Set<UUID> connectionIds() {
        Set<UUID> ids = new LinkedHashSet<>();
        commands.forEach(p -> connectionId(p.command()).ifPresent(ids::add));
        return ids;
    }

    /** The rows the commands can touch, given their connections (in {@code state}). */
    public Reads reads(BatchState state) {
        Set<UUID> accountIds = new LinkedHashSet<>();
        Map<UUID, Set<String>> userNames = new HashMap<>();
        Set<String> organizations = new LinkedHashSet<>();
        Set<String> otherMemberEmails = new LinkedHashSet<>();
        Set<TeamName> teams = new LinkedHashSet<>();
        for (Pending pending : commands) {
            UserCommand command = pending.command();
            Optional<UUID> connectionId = connectionId(command);
            BatchState.Connection connection = connectionId.map(state.connections::get).orElse(null);
            if (connection == null || state.processed.containsKey(command.commandId())) {
                continue;
            }
            userId(command).ifPresent(accountIds::add);
            if (command.profile() == null) {
                continue;
            }
            String userName = command.profile().userName();
            userNames.computeIfAbsent(connection.id(), id -> new LinkedHashSet<>()).add(CaseInsensitive.lower(userName));
            if (connection.adoptFrom() != null && command.type() == UserCommandType.CREATE) {
                // The account a create may adopt from the connection it migrates from.
                userNames.computeIfAbsent(connection.adoptFrom(), id -> new LinkedHashSet<>())
                        .add(CaseInsensitive.lower(userName));
            }
            // A create, a rename or a move must not put a second account of this email beside a member added by hand
            // or through another connection.
            otherMemberEmails.add(CaseInsensitive.lower(userName));
            try {
                Placements.Resolved placement = Placements.resolve(connection.defaults(), command.profile().placement());
                organizations.add(placement.organization());
                if (placement.team() != null) {
                    teams.add(new TeamName(placement.organization(), CaseInsensitive.lower(placement.team())));
                }
            } catch (Placements.InvalidPlacement invalid) {
                // Rejected when applied; nothing to read for it.
            }
        }
        return new Reads(accountIds, userNames, organizations, otherMemberEmails, teams);
    }

    /**
     * The connections whose mass-deprovisioning guard the batch reads, once the accounts' held changes are in
     * {@code state}: those of the commands that may take access away ({@link MemberTransition#mayDeprovision}),
     * and those of updates that carry on a held deactivation ({@code asTheIdpLastAsked}). An approved held change
     * passes the guard. The guard counts the connection's members: an update of a user with nothing held does not
     * read it.
     */
    public Set<UUID> guardedConnections(BatchState state) {
        Set<UUID> guarded = new LinkedHashSet<>();
        for (Pending pending : commands) {
            UserCommand command = pending.command();
            Optional<UUID> connectionId = connectionId(command).filter(state.connections::containsKey);
            if (connectionId.isEmpty() || pending.approvedHold() != null
                    || state.processed.containsKey(command.commandId())) {
                continue;
            }
            boolean carriesHeldChange = command.activeAsRead()
                    && userId(command).map(state.pendingHoldsByAccount::containsKey).orElse(false);
            if (MemberTransition.mayDeprovision(command) || carriesHeldChange) {
                guarded.add(connectionId.get());
            }
        }
        return guarded;
    }

    /** Applies the commands in order to {@code state}, which holds everything {@link #reads} named. */
    public Result apply(BatchState state) {
        BatchChanges changes = new BatchChanges();
        List<CommandOutcome> outcomes = new ArrayList<>(commands.size());
        Map<UUID, CommandOutcome> answered = new HashMap<>(state.processed);
        for (Pending pending : commands) {
            UserCommand command = pending.command();
            CommandOutcome earlier = answered.get(command.commandId());
            if (earlier != null) {
                // A redelivery: the first outcome again, nothing applied twice.
                outcomes.add(earlier);
                continue;
            }
            Optional<UUID> connectionId = connectionId(command);
            CommandOutcome outcome;
            if (connectionId.isEmpty()) {
                // Not even a connection id: nothing can record it (the records belong to a connection).
                outcomes.add(rejection(command, Reason.INVALID_VALUE, "unknown connection " + command.connectionId()));
                continue;
            }
            BatchState.Connection connection = state.connections.get(connectionId.get());
            if (connection == null) {
                outcome = rejection(command, Reason.NOT_FOUND, "connection " + connectionId.get() + " does not exist");
            } else if (!connection.scimEnabled()) {
                outcome = rejection(command, Reason.FORBIDDEN,
                        "SCIM is not enabled for connection " + connection.name());
            } else {
                outcome = new Application(state, changes, connection, pending).apply();
            }
            record(changes, connectionId.get(), connection != null, command, outcome);
            answered.put(command.commandId(), outcome);
            outcomes.add(outcome);
        }
        return new Result(outcomes, changes);
    }

    /**
     * One command's rules; mutates the state and the changes only once the command is sure to apply. Each
     * {@link MemberTransition} has its method: {@link #create}, {@link #updateProfile}, {@link #deactivate},
     * {@link #reactivate}, {@link #remove}; {@link #place} makes the memberships follow (and {@link #move}s).
     */
    private final class Application {
        private final BatchState state;
        private final BatchChanges changes;
        private final BatchState.Connection connection;
        private UserCommand command;
        private final String traceparent;
        private final UUID approvedHold;
        private final ScimMemberships memberships;

        Application(BatchState state, BatchChanges changes, BatchState.Connection connection, Pending pending) {
            this.state = state;
            this.changes = changes;
            this.memberships = new ScimMemberships(state, changes, now);
            this.connection = connection;
            this.command = pending.command();
            this.traceparent = pending.traceparent();
            this.approvedHold = pending.approvedHold();
        }

        CommandOutcome apply() {
            if (approvedHold != null) {
                return approved();
            }
            command = asTheIdpLastAsked(command);
            CommandOutcome outcome = switch (command.type()) {
                case CREATE -> create();
                case REPLACE -> replace();
                case DELETE -> remove();
            };
            if (outcome.status() == CommandOutcome.Status.APPLIED && outcome.user() != null) {
                supersedeHolds(UUID.fromString(outcome.user().id()));
            }
            return outcome;
        }

        /**
         * A held change an admin approved: applied as the IdP sent it, unless the user changed since it was held
         * (the IdP sent something newer, or the user is gone) - then it is superseded and nothing is applied.
         */
        private CommandOutcome approved() {
            Optional<UUID> userId = userId(command);
            BatchState.PendingHold hold = userId.map(id -> state.pendingHoldsByAccount.getOrDefault(id, List.of()))
                    .orElse(List.of()).stream().filter(h -> h.id().equals(approvedHold)).findFirst().orElse(null);
            if (hold == null) {
                return rejection(command, Reason.NOT_FOUND, "held change " + approvedHold + " is decided already");
            }
            forget(hold);
            BatchState.Account account = state.accountsById.get(hold.accountId());
            if (account == null || account.version != hold.accountVersion()) {
                changes.decidedHolds.add(new BatchChanges.DecidedHold(hold.id(), "superseded", now,
                        command.commandId()));
                return rejection(command, Reason.VERSION_MISMATCH, "User " + command.userId()
                        + " changed after the change was held; it is superseded, not applied");
            }
            CommandOutcome outcome = command.type() == UserCommandType.DELETE ? remove() : replace();
            // Refused now (its placement no longer valid, say): what the IdP asked cannot be applied as it was.
            changes.decidedHolds.add(new BatchChanges.DecidedHold(hold.id(),
                    outcome.status() == CommandOutcome.Status.APPLIED ? "approved" : "superseded", now,
                    command.commandId()));
            // The account's next held change was held at the version this one found; it follows this one.
            List<BatchState.PendingHold> next = state.pendingHoldsByAccount.get(account.id);
            if (next != null && state.accountsById.containsKey(account.id)) {
                next.replaceAll(h -> new BatchState.PendingHold(h.id(), h.accountId(), account.version,
                        h.transition()));
                next.forEach(h -> changes.rebasedHolds.put(h.id(), account.version));
            }
            return outcome;
        }

        /**
         * A deactivation or removal of an active SCIM member, past the guard: applied and counted, or held (the
         * outcome to answer, the user as the IdP asked for it) when the connection's threshold is reached.
         */
        private Optional<CommandOutcome> guard(BatchState.Account account, MemberTransition transition) {
            BatchState.Guard guard = state.guards.get(connection.id());
            if (approvedHold == null && guard != null && guard.holds()) {
                supersedeCarriedHolds(account.id, transition);
                BatchChanges.HeldChange held = new BatchChanges.HeldChange(UUID.randomUUID(), connection.id(),
                        command.commandId(), account.id, account.version, account.userName, transition.wireName(),
                        command, now);
                changes.heldChanges.add(held);
                state.pendingHold(new BatchState.PendingHold(held.id(), account.id, account.version, transition));
                guard.pending++;
                trace(account);
                BatchState.Account asked = account;
                if (command.profile() != null) {
                    asked = new BatchState.Account(account.id, account.connectionId, command.profile().userName(),
                            command.profile().externalId(), command.profile().active(), account.source,
                            command.profile().attributes(), account.version, account.createdAt, now, now);
                }
                return Optional.of(CommandOutcome.held(command.commandId(), command.connectionId(), asked.toSnapshot(),
                        command.type() == UserCommandType.DELETE));
            }
            changes.deprovisionings.add(new BatchChanges.Deprovisioning(connection.id(), account.id, now));
            if (guard != null) {
                guard.deprovisioned++;
                guard.activeMembers--;
            }
            return Optional.empty();
        }

        /**
         * A replace whose {@code active} the gateway read while the guard holds a deactivation of the user: the IdP
         * last asked for the user deactivated, and its update (a PATCH of a title, say) carries that on - the
         * update is a deactivation too, held or applied as the guard decides. Read as sent, it would re-activate
         * the user and supersede the held change, and nothing would ever deactivate them: the IdP believes it did.
         */
        private UserCommand asTheIdpLastAsked(UserCommand sent) {
            if (!sent.activeAsRead() || !sent.profile().active()) {
                return sent;
            }
            List<BatchState.PendingHold> holds = userId(sent).map(state.pendingHoldsByAccount::get).orElse(null);
            if (holds == null || holds.get(holds.size() - 1).transition() != MemberTransition.DEACTIVATE) {
                return sent;
            }
            return new UserCommand(sent.commandId(), sent.type(), sent.connectionId(), sent.userId(),
                    sent.profile().withActive(false), sent.expectedVersion(), sent.origin(), sent.issuedAt(), false,
                    null);
        }

        /**
         * The account's held changes that the change about to be held carries: a deactivation sent again (Entra ID
         * after "restart provisioning", an Okta task retried), an update carrying a held deactivation on
         * ({@link #asTheIdpLastAsked}), or a removal after a held deactivation. The newer change is the IdP's whole
         * request now and what an approval applies; kept beside it, the guard would count one person as several
         * held changes. A deactivation after a held removal does not carry the removal: both wait.
         */
        private void supersedeCarriedHolds(UUID accountId, MemberTransition transition) {
            List<BatchState.PendingHold> holds = state.pendingHoldsByAccount.get(accountId);
            if (holds == null) {
                return;
            }
            for (BatchState.PendingHold hold : List.copyOf(holds)) {
                if (hold.transition() == MemberTransition.DEACTIVATE || transition == MemberTransition.REMOVE) {
                    forget(hold);
                    changes.decidedHolds.add(new BatchChanges.DecidedHold(hold.id(), "superseded", now, null));
                }
            }
        }

        /** A change applied to a user with held changes makes them stale: the IdP has sent something newer. */
        private void supersedeHolds(UUID accountId) {
            List<BatchState.PendingHold> holds = state.pendingHoldsByAccount.remove(accountId);
            if (holds == null) {
                return;
            }
            for (BatchState.PendingHold hold : holds) {
                changes.decidedHolds.add(new BatchChanges.DecidedHold(hold.id(), "superseded", now, null));
            }
            // The guard that held them: the account's connection when read (another's, for an adopted account).
            BatchState.Account account = state.accountsById.get(accountId);
            BatchState.Guard guard = state.guards.get(account != null ? account.readConnectionId : connection.id());
            if (guard != null) {
                guard.pending -= holds.size();
            }
        }

        private void forget(BatchState.PendingHold hold) {
            List<BatchState.PendingHold> holds = state.pendingHoldsByAccount.get(hold.accountId());
            holds.remove(hold);
            if (holds.isEmpty()) {
                state.pendingHoldsByAccount.remove(hold.accountId());
            }
            BatchState.Guard guard = state.guards.get(connection.id());
            if (guard != null) {
                guard.pending--;
            }
        }

        /**
         * A new SCIM account, placed as the IdP says (active or deactivated from the start); or the JIT account of
         * that userName the connection adopts ({@link BatchState.Connection#adopts}: all of them after the
         * JIT-to-SCIM migration, else those created once SCIM was on), which keeps its id and memberships.
         */
        private CommandOutcome create() {
            String userName = command.profile().userName();
            BatchState.Account existing = state.accountsByUserName.get(BatchState.userNameKey(connection.id(), userName));
            if (existing != null && existing.managedByScim()) {
                return taken(command);
            }
            boolean jit = existing != null && MemberSource.JIT.wireName().equals(existing.source);
            if (existing != null && !(jit && connection.adopts(existing))) {
                return rejection(command, Reason.NOT_MANAGED, jit
                        ? "'" + userName + "' is a member a JIT sign-in created before SCIM was switched on, not SCIM; "
                                + "run the JIT-to-SCIM migration to let SCIM adopt such members"
                        : "'" + userName + "' is a member an admin invited or added by hand (source " + existing.source
                                + "), which SCIM does not manage: an admin removes them by hand, or removes them "
                                + "before the IdP provisions them");
            }
            Placements.Resolved placement;
            try {
                placement = Placements.resolve(connection.defaults(), command.profile().placement());
            } catch (Placements.InvalidPlacement invalid) {
                return rejection(command, Reason.INVALID_VALUE, invalid.getMessage());
            }
            BatchState.Organization organization = state.organizationsByName.get(placement.organization());
            BatchState.Account migrating = migrating(existing, organization, userName);
            if (migrating != null && !migrating.active) {
                return rejection(command, Reason.NOT_MANAGED, "'" + userName + "' was deactivated by the IdP of the "
                        + "connection this one migrates from; a migration adopts active members only - re-activate "
                        + "the user there, or remove the member by hand, first");
            }
            Optional<BatchState.OtherMember> other = state.otherMember(placement.organization(), userName,
                    connection.id(), migrating == null ? null : connection.adoptFrom());
            if (other.isPresent()) {
                return rejection(command, Reason.NOT_MANAGED, other.get().refusal(userName));
            }
            Optional<CommandOutcome> refused = refusePlacement(migrating != null ? migrating : existing, organization,
                    placement, command.profile().active());
            if (refused.isPresent()) {
                return refused.get();
            }
            BatchState.Account account;
            if (migrating != null) {
                // A connection-to-connection migration: the old connection's IdP can no longer change the member.
                account = migrating;
                state.adopt(account, connection.id());
                takeOver(account);
            } else if (existing != null) {
                account = existing;
                takeOver(account);
            } else {
                // Time-ordered: the accounts of a sync go in at the right-hand end of account's and member's keys.
                account = new BatchState.Account(TimeOrderedIds.at(now), connection.id(), userName,
                        command.profile().externalId(), command.profile().active(), MemberSource.SCIM.wireName(),
                        command.profile().attributes(), 1, now, now, command.profile().active() ? null : now);
                state.account(account);
                changes.insertedAccounts.add(account);
            }
            place(account, organization, placement);
            trace(account);
            return CommandOutcome.applied(command.commandId(), command.connectionId(), account.toSnapshot());
        }

        /**
         * An adoption (of a JIT member, or of another connection's member in a migration): the member keeps its id,
         * memberships and history, takes the create's profile, and this connection's SCIM manages it from now on:
         * the memberships its sign-ins (or the old connection's SCIM) made. One it joined by accepting an invitation
         * stays the admin's (source {@code invite}): made {@code scim}, the adopting create's placement ended it.
         */
        private void takeOver(BatchState.Account account) {
            String adopted = account.source;
            account.replaceProfile(command.profile(), now);
            account.source = MemberSource.SCIM.wireName();
            changes.updated(account);
            for (BatchState.Member member : members(account).values()) {
                // A changed connection re-sends every membership's state record (account_member_states_updated, V28).
                if (member.source.equals(adopted) && !member.source.equals(account.source)) {
                    member.source = account.source;
                    changes.updated(member);
                }
            }
            if (MemberSource.JIT.wireName().equals(adopted)) {
                // So are the team places its sign-ins made: the create places it as any SCIM create does.
                state.signInTeamsByAccount.remove(account.id);
                changes.teamPlacesTakenOver.add(account.id);
            }
        }

        /**
         * On a connection migrating from another (a connection-to-connection migration), the account of that
         * connection a create adopts: the one of its userName that is a member of the organization the create
         * places it in - where it would otherwise be refused as another connection's member - and of no
         * organization this connection does not serve (its IdP would then rule over access to an organization
         * that is not its own). Null if none.
         */
        private BatchState.Account migrating(BatchState.Account existing, BatchState.Organization organization,
                String userName) {
            if (existing != null || connection.adoptFrom() == null || organization == null) {
                return null;
            }
            BatchState.Account account = state.accountsByUserName.get(
                    BatchState.userNameKey(connection.adoptFrom(), userName));
            return account != null && members(account).containsKey(organization.id)
                    && connection.defaults().linkedOrganizations().containsAll(
                            state.organizationsOf(userName, connection.adoptFrom())) ? account : null;
        }

        /**
         * PUT, or PATCH as the gateway applied it: the whole profile, with userName unique and a placement that
         * can be given a seat. Which {@link MemberTransition} it is depends on {@code active} before and after.
         */
        private CommandOutcome replace() {
            Object target = target();
            if (target instanceof CommandOutcome rejected) {
                return rejected;
            }
            BatchState.Account account = (BatchState.Account) target;
            if (command.refusedAlongside() != null && !account.active) {
                // The gateway sends the deactivation alone only of an active user (at the version it read); of one
                // deactivated meanwhile, the refusal is the answer, as the gateway gives it for a deactivated user.
                return rejection(command, command.refusedAlongside().reason(), command.refusedAlongside().detail());
            }
            BatchState.Account holder = state.accountsByUserName.get(
                    BatchState.userNameKey(connection.id(), command.profile().userName()));
            if (holder != null && holder != account) {
                return refusedUnlessItDeactivates(account, taken(command));
            }
            Placements.Resolved placement;
            try {
                placement = Placements.resolve(connection.defaults(), command.profile().placement());
            } catch (Placements.InvalidPlacement invalid) {
                return refusedUnlessItDeactivates(account,
                        rejection(command, Reason.INVALID_VALUE, invalid.getMessage()));
            }
            BatchState.Organization organization = state.organizationsByName.get(placement.organization());
            String userName = command.profile().userName();
            boolean renamed = !CaseInsensitive.equal(account.userName, userName);
            boolean joins = organization != null && !members(account).containsKey(organization.id)
                    && !account.removedByAdminFrom(organization.id);
            // As a create would: an active user renamed to, or moved into an organization beside, a member added by
            // hand or through another connection there would be the same person twice. A deactivation is never
            // refused for it: it takes access away.
            Optional<BatchState.OtherMember> other = command.profile().active() && (renamed || joins)
                    ? state.otherMember(placement.organization(), userName, connection.id()) : Optional.empty();
            if (other.isPresent()) {
                return rejection(command, Reason.NOT_MANAGED, other.get().refusal(userName));
            }
            Optional<CommandOutcome> refused = refusePlacement(account, organization, placement,
                    command.profile().active());
            if (refused.isPresent()) {
                return refusedUnlessItDeactivates(account, refused.get());
            }
            MemberTransition transition = MemberTransition.of(command.type(), account.active,
                    command.profile().active());
            return switch (transition) {
                case UPDATE_PROFILE -> updateProfile(account, organization, placement);
                case DEACTIVATE -> deactivate(account, organization, placement);
                case REACTIVATE -> reactivate(account, organization, placement);
                case CREATE, REMOVE -> throw new IllegalStateException("a replace is never " + transition);
            };
        }

        /**
         * A replace refused for what it carries besides {@code active} - a placement that cannot be honoured (a
         * role the schema does not know, an organization not linked), a userName another user has - is refused
         * whole, unless it deactivates an active user: then the deactivation is applied alone, as a
         * {@code PATCH active:false} would be, and the rest is listed as a provisioning error. An IdP that sends a
         * de-provisioning as a whole user (a PUT) with a broken attribute mapping must not leave the person's
         * access in place until someone fixes the mapping.
         */
        private CommandOutcome refusedUnlessItDeactivates(BatchState.Account account, CommandOutcome refusal) {
            if (!account.active || command.profile().active()) {
                return refusal;
            }
            Optional<CommandOutcome> held = guard(account, MemberTransition.DEACTIVATE);
            if (held.isPresent()) {
                return held.get();
            }
            account.replaceProfile(account.toSnapshot().profile().withActive(false), now);
            changes.updated(account);
            for (BatchState.Member member : List.copyOf(members(account).values())) {
                memberships.followState(account, member);
            }
            changes.errors.add(appliedAlone(account, refusal.failure()));
            trace(account);
            return CommandOutcome.applied(command.commandId(), command.connectionId(), account.toSnapshot());
        }

        /**
         * The profile (userName, externalId, attributes) and the placement follow the IdP; a changed placement
         * is a {@link #move}. Memberships keep their state.
         */
        private CommandOutcome updateProfile(BatchState.Account account, BatchState.Organization organization,
                Placements.Resolved placement) {
            return replaceProfile(account, organization, placement);
        }

        /**
         * {@code active: false} on an active member: held by the mass-deprovisioning guard once its connection's
         * threshold is reached; otherwise counted by the guard and applied. The account keeps its id, its
         * memberships (in state {@code deactivated}, each freeing its seat) and its history; it leaves its
         * placement's team, and its sign-ins are refused from now on ({@code deactivatedAt}).
         */
        private CommandOutcome deactivate(BatchState.Account account, BatchState.Organization organization,
                Placements.Resolved placement) {
            Optional<CommandOutcome> held = guard(account, MemberTransition.DEACTIVATE);
            if (held.isPresent()) {
                return held.get();
            }
            if (command.refusedAlongside() != null) {
                changes.errors.add(appliedAlone(account, command.refusedAlongside()));
            }
            return replaceProfile(account, organization, placement);
        }

        /**
         * The provisioning error of a deactivation applied alone: what of the IdP's request was refused beside it,
         * here or by the gateway ({@link UserCommand#refusedAlongside}).
         */
        private BatchChanges.ProvisioningError appliedAlone(BatchState.Account account, CommandFailure refused) {
            return provisioningError(connection.id(), command, account.userName, refused.reason(),
                    "the deactivation was applied alone; the rest of the change was refused: " + refused.detail(), now);
        }

        /**
         * {@code active: true} on a deactivated member: it takes a seat again in each organization it is placed in
         * (refused, before anything changes, when the placement's organization has none - {@link #refusePlacement};
         * listed as a provisioning error where a group's organization has none), rejoins its placement's team and
         * may sign in again. Never held by the guard.
         */
        private CommandOutcome reactivate(BatchState.Account account, BatchState.Organization organization,
                Placements.Resolved placement) {
            return replaceProfile(account, organization, placement);
        }

        /** The whole profile is replaced (the version moves on), then the memberships are placed to follow it. */
        private CommandOutcome replaceProfile(BatchState.Account account, BatchState.Organization organization,
                Placements.Resolved placement) {
            state.accountsByUserName.remove(BatchState.userNameKey(connection.id(), account.userName));
            account.replaceProfile(command.profile(), now);
            state.account(account);
            changes.updated(account);
            place(account, organization, placement);
            trace(account);
            return CommandOutcome.applied(command.commandId(), command.connectionId(), account.toSnapshot());
        }

        /**
         * DELETE: the user leaves every organization of the connection (freeing its seats) and its record is
         * removed; its userName is refused at sign-in on the connection until SCIM creates it again. Removing an
         * active member is guarded like a deactivation; removing a deactivated one takes no access and is not.
         */
        private CommandOutcome remove() {
            Object target = target();
            if (target instanceof CommandOutcome rejected) {
                return rejected;
            }
            BatchState.Account account = (BatchState.Account) target;
            if (account.active) {
                Optional<CommandOutcome> held = guard(account, MemberTransition.REMOVE);
                if (held.isPresent()) {
                    return held.get();
                }
            }
            state.accountsById.remove(account.id);
            state.accountsByUserName.remove(BatchState.userNameKey(connection.id(), account.userName));
            for (BatchState.Member member : members(account).values()) {
                memberships.freeSeat(member);
            }
            changes.deletedAccounts.add(new BatchChanges.DeletedAccount(account.id, connection.id(), account.userName,
                    now));
            trace(account);
            return CommandOutcome.userDeleted(command.commandId(), command.connectionId(), account.toSnapshot());
        }

        /**
         * The command's user, or the outcome that answers for a missing one, one SCIM does not manage, or a
         * version mismatch (If-Match).
         */
        private Object target() {
            Optional<UUID> userId = userId(command);
            BatchState.Account account = userId.map(state.accountsById::get).orElse(null);
            if (account == null || !connection.id().equals(account.connectionId)) {
                return rejection(command, Reason.NOT_FOUND, "User " + command.userId() + " not found");
            }
            if (!account.managedByScim()) {
                return rejection(command, Reason.NOT_MANAGED, "User " + command.userId() + " was added by "
                        + account.source + " sign-in before SCIM, so SCIM does not change or remove it; an admin can");
            }
            if (command.expectedVersion() != null && command.expectedVersion() != account.version) {
                return rejection(command, Reason.VERSION_MISMATCH, "User " + command.userId() + " is at version "
                        + account.version + ", not " + command.expectedVersion() + "; read it again");
            }
            return account;
        }

        /**
         * Why the account cannot be placed there (before anything of the command is changed), if it cannot: an
         * active user takes a seat unless it already holds one there (a re-activation takes one again).
         */
        private Optional<CommandOutcome> refusePlacement(BatchState.Account account, BatchState.Organization organization,
                Placements.Resolved placement, boolean activeAfter) {
            if (organization == null) {
                return Optional.of(rejection(command, Reason.NOT_FOUND,
                        "organization " + placement.organization() + " does not exist"));
            }
            BatchState.Member member = account == null ? null : members(account).get(organization.id);
            boolean takesSeat = activeAfter && (member == null || !ScimMemberships.holdsSeat(member))
                    && (account == null || !account.removedByAdminFrom(organization.id));
            if (takesSeat && organization.full()) {
                return Optional.of(rejection(command, Reason.NO_SEATS,
                        SeatLimit.refusal(organization.name, organization.seats)));
            }
            return Optional.empty();
        }

        /**
         * Membership follows the IdP: the user is a member of the placement's organization with its role (or a
         * higher one its groups give there), in the state the IdP gives (an active member holds a seat, a
         * deactivated one does not), and of the placement's team while active. It stays in the other
         * organizations its mapped groups place it in, and joins those it is not in yet (a seat was missing, or
         * it was deactivated) when a seat is free. What SCIM alone placed elsewhere ends: a membership no group
         * keeps (the placement moved) and every other team place in the placement's organization. Members added
         * by hand or by JIT are other accounts or other sources, and are not touched.
         */
        private void place(BatchState.Account account, BatchState.Organization organization,
                Placements.Resolved placement) {
            Map<UUID, String> groups = memberships.groupRoles(account);
            move(account, organization, groups);
            // A seat for the placement's organization was checked by refusePlacement.
            String attributeRole = placement.role().wireName();
            BatchState.Member member = members(account).get(organization.id);
            boolean removedByAdmin = account.removedByAdminFrom(organization.id);
            if (removedByAdmin) {
                changes.errors.add(memberships.removedByAdmin(account, organization, connection.id(),
                        command.commandId(), requestId(), operation(command), "the IdP's update places"));
            } else if (member == null) {
                memberships.join(account, organization, attributeRole, groups.get(organization.id));
            } else {
                memberships.follow(account, member, attributeRole, groups.get(organization.id));
            }
            // Memberships SCIM did not make - an invitation the user accepted, a sign-in's groups - follow its state
            // all the same: when the IdP says someone is gone, they lose access everywhere.
            for (BatchState.Member other : List.copyOf(members(account).values())) {
                if (!other.organizationId.equals(organization.id) && !MemberSource.SCIM.wireName().equals(other.source)
                        && !memberships.followState(account, other)) {
                    changes.errors.add(ScimMemberships.notFromScimSeatRefused(connection.id(), command.commandId(),
                            requestId(), operation(command), account, state.organizationsById.get(other.organizationId),
                            other.source, now));
                }
            }
            for (Map.Entry<UUID, String> group : groups.entrySet()) {
                BatchState.Organization placed = state.organizationsById.get(group.getKey());
                if (account.active && placed != null && !members(account).containsKey(placed.id)) {
                    memberships.joinByGroup(account, placed, group.getValue(), connection.id(), command.commandId(),
                            requestId()).ifPresent(changes.errors::add);
                }
            }
            UUID team = account.active && placement.team() != null && !removedByAdmin
                    ? team(organization, placement.team()) : null;
            Map<UUID, UUID> places = memberships.teamPlaces(account);
            for (Map.Entry<UUID, UUID> place : List.copyOf(places.entrySet())) {
                // SCIM's placement moves its own team place; one a JIT sign-in made stays while the user is active.
                if (place.getValue().equals(organization.id) && !place.getKey().equals(team)
                        && !(account.active && state.placedAtSignIn(account.id, place.getKey()))) {
                    places.remove(place.getKey());
                    changes.deletedTeamMembers.add(new BatchChanges.TeamMember(place.getKey(), account.id, now));
                }
            }
            if (team != null && places.putIfAbsent(team, organization.id) == null) {
                changes.insertedTeamMembers.add(new BatchChanges.TeamMember(team, account.id, now));
            }
        }

        /**
         * The placement is {@code organization}; when it moved, every other organization SCIM placed the account in
         * is left (member.removed) unless one of its mapped groups keeps it there, in which case the membership
         * keeps only the group's role and follows the account's state.
         */
        private void move(BatchState.Account account, BatchState.Organization organization, Map<UUID, String> groups) {
            String source = MemberSource.SCIM.wireName();
            for (BatchState.Member other : List.copyOf(members(account).values())) {
                if (other.organizationId.equals(organization.id) || !source.equals(other.source)) {
                    continue;
                }
                String groupRole = groups.get(other.organizationId);
                if (groupRole == null) {
                    memberships.leave(account, other);
                } else if (!memberships.follow(account, other, null, groupRole)) {
                    seatRefused(account, state.organizationsById.get(other.organizationId));
                }
            }
        }

        private void seatRefused(BatchState.Account account, BatchState.Organization organization) {
            changes.errors.add(ScimMemberships.seatRefused(connection.id(), command.commandId(), requestId(), account,
                    organization, now));
        }

        private String requestId() {
            return command.origin() == null ? null : command.origin().requestId();
        }

        /** The organization's team of that name, created on first use. */
        private UUID team(BatchState.Organization organization, String teamName) {
            String key = BatchState.teamKey(organization.id, teamName);
            BatchState.Team team = state.teams.get(key);
            if (team == null) {
                team = new BatchState.Team(UUID.randomUUID(), organization.id, teamName);
                state.team(team);
                changes.insertedTeams.add(team);
            }
            return team.id();
        }

        private Map<UUID, BatchState.Member> members(BatchState.Account account) {
            return memberships.of(account);
        }

        private void trace(BatchState.Account account) {
            if (traceparent != null) {
                changes.traces.put(account.id, traceparent);
            }
        }
    }

    /** The records of a rejection decided outside a batch (the command failed in the database on its own). */
    public static BatchChanges recorded(UserCommand command, CommandOutcome rejected) {
        BatchChanges changes = new BatchChanges();
        connectionId(command).ifPresent(connectionId -> record(changes, connectionId, true, command, rejected));
        return changes;
    }

    /** The processed-command record, and for a rejection the provisioning error with a suggested fix. */
    private static void record(BatchChanges changes, UUID connectionId, boolean connectionExists, UserCommand command,
            CommandOutcome outcome) {
        changes.processed.add(new BatchChanges.Processed(connectionId, outcome));
        if (outcome.status() != CommandOutcome.Status.REJECTED || !connectionExists) {
            return;
        }
        changes.errors.add(provisioningError(connectionId, command,
                command.profile() == null ? command.userId() : command.profile().userName(),
                outcome.failure().reason(), outcome.failure().detail(), outcome.completedAt()));
    }

    /** A provisioning error of the command, with the fix its reason suggests. */
    private static BatchChanges.ProvisioningError provisioningError(UUID connectionId, UserCommand command,
            String userName, Reason reason, String detail, Instant at) {
        return new BatchChanges.ProvisioningError(UUID.randomUUID(), connectionId, command.commandId(),
                command.origin() == null ? null : command.origin().requestId(), operation(command), userName,
                reason.name(), detail, ProvisioningAdvice.suggestedFix(reason), at);
    }

    /** A command's operation as its provisioning errors name it: {@code user.create}, {@code user.replace}, ... */
    private static String operation(UserCommand command) {
        return "user." + command.type().name().toLowerCase(Locale.ROOT);
    }

    private static Optional<UUID> connectionId(UserCommand command) {
        return uuid(command.connectionId());
    }

    private static Optional<UUID> userId(UserCommand command) {
        return uuid(command.userId());
    }

    static Optional<UUID> uuid(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(value));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public static CommandOutcome taken(UserCommand command) {
        return rejection(command, Reason.UNIQUENESS,
                "userName '" + command.profile().userName() + "' is already taken in this connection");
    }

    public static CommandOutcome rejection(UserCommand command, Reason reason, String detail) {
        return CommandOutcome.rejected(command.commandId(), command.connectionId(), new CommandFailure(reason, detail));
    }
}
