package dev.scimsync.groupsync.messaging;

import dev.scimsync.contracts.internal.ConnectionSummary;
import dev.scimsync.contracts.internal.KnownUser;
import dev.scimsync.contracts.internal.ProvisioningErrorReport;
import dev.scimsync.contracts.CommandFailure;
import dev.scimsync.contracts.CommandFailure.Reason;
import dev.scimsync.contracts.CommandFailure;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.GroupCommand;
import dev.scimsync.contracts.GroupCommandType;
import dev.scimsync.contracts.GroupEdit;
import dev.scimsync.groupsync.domain.MemberIds;
import dev.scimsync.groupsync.domain.TeamMapping;
import dev.scimsync.groupsync.membership.Connections;
import dev.scimsync.groupsync.persistence.GroupMembers;
import dev.scimsync.groupsync.persistence.GroupRow;
import dev.scimsync.groupsync.persistence.GroupStore;
import dev.scimsync.groupsync.persistence.ProcessedCommands;
import dev.scimsync.groupsync.persistence.TeamMappings;
import dev.scimsync.groupsync.persistence.UserDirectory;
import dev.scimsync.outbox.OutboxTrace;
import dev.scimsync.runtime.DatabaseFailures;
import dev.scimsync.runtime.StoredTime;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
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
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Applies the group commands of one poll in one PostgreSQL transaction, each together with the record of its
 * outcome, so a redelivered command is answered rather than applied twice.
 *
 * <p>Before the transaction, each command's connection and joining members are checked with membership-service
 * (over HTTP, which no transaction should wait on); a command naming anyone who is not a user of its connection
 * is rejected whole, before anything is written. In the transaction every command runs inside its own savepoint:
 * a command that fails for a reason it causes (a rule of ours, a value PostgreSQL refuses) is rolled back to its
 * savepoint and rejected alone, and the rest of the poll commits. A failure the database or membership-service
 * causes (unreachable, restarting) fails the whole poll, for the caller to retry.
 */
@ApplicationScoped
public class GroupCommandApplier {

    private static final Logger LOG = Logger.getLogger(GroupCommandApplier.class);

    private final Pool pool;
    private final GroupStore groups;
    private final GroupMembers members;
    private final TeamMappings mappings;
    private final ProcessedCommands processed;
    private final UserDirectory directory;
    private final Connections connections;
    private final Clock clock;

    public GroupCommandApplier(Pool pool, GroupStore groups, GroupMembers members, TeamMappings mappings,
            ProcessedCommands processed, UserDirectory directory, Connections connections, Clock clock) {
        this.pool = pool;
        this.clock = clock;
        this.groups = groups;
        this.members = members;
        this.mappings = mappings;
        this.processed = processed;
        this.directory = directory;
        this.connections = connections;
    }

    /**
     * A command as it arrived.
     *
     * @param traceparent the W3C trace context the command arrived with, or null; the team events its changes
     *                    cause carry it
     */
    public record Pending(GroupCommand command, String traceparent) {
    }

    /** Thrown while a command is checked or applied, to undo what it wrote and answer with a rejection. */
    static final class Rejection extends RuntimeException {
        final CommandFailure failure;

        Rejection(Reason reason, String detail) {
            super(detail, null, false, false);
            this.failure = new CommandFailure(reason, detail);
        }
    }

    /**
     * What the checks before the transaction found: the command's connection, or why it is refused; and the member
     * ids it is applied without ({@link #checkMembers}).
     */
    private record Admission(ConnectionSummary connection, CommandFailure refusal, List<String> leftOut) {
        Admission(ConnectionSummary connection, CommandFailure refusal) {
            this(connection, refusal, List.of());
        }
    }

    /**
     * What a command did, and what to report once it is committed: the mapping problem it made, the member ids it
     * was applied without.
     */
    private record Applied(CommandOutcome outcome, String unmappedReasonToReport, List<String> leftOut) {
        Applied(CommandOutcome outcome, String unmappedReasonToReport) {
            this(outcome, unmappedReasonToReport, List.of());
        }
    }

    /** The outcomes of {@code commands}, in their order, each committed before this completes. */
    public Uni<List<CommandOutcome>> apply(List<Pending> commands) {
        if (commands.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Set<UUID> ids = new LinkedHashSet<>();
        commands.forEach(pending -> ids.add(pending.command().commandId()));
        return processed.find(pool, ids)
                .chain(answered -> admit(commands, answered)
                        .chain(admitted -> inTransaction(sql -> applyAll(sql, commands, answered, admitted))))
                .call(applied -> report(commands, applied))
                .map(applied -> applied.stream().map(Applied::outcome).toList());
    }

    /**
     * Runs {@code work} in a transaction begun and ended here: the client's own ({@code withTransaction}) rolls
     * back at the first statement that fails, even one rolled back to its savepoint, and so every command with
     * the failing one.
     */
    private <T> Uni<T> inTransaction(Function<SqlConnection, Uni<T>> work) {
        return pool.withConnection(sql -> sql.query("begin").execute()
                .chain(() -> work.apply(sql))
                .call(() -> sql.query("commit").execute())
                // On a lost connection the rollback fails too; the failure to report is the first one.
                .onFailure().call(() -> sql.query("rollback").execute().onFailure().recoverWithNull()));
    }

    /**
     * The checks of each command not answered yet (once per command id): its connection (asked once per
     * connection in the poll) and its joining members.
     */
    private Uni<Map<UUID, Admission>> admit(List<Pending> commands, Map<UUID, CommandOutcome> answered) {
        Map<UUID, Admission> admitted = new HashMap<>();
        Map<String, Optional<ConnectionSummary>> connectionsOfPoll = new HashMap<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Pending pending : commands) {
            GroupCommand command = pending.command();
            chain = chain.chain(() -> answered.containsKey(command.commandId())
                    || admitted.containsKey(command.commandId()) ? Uni.createFrom().voidItem()
                    : admit(command, connectionsOfPoll).invoke(admission -> admitted.put(command.commandId(),
                            admission)).replaceWithVoid());
        }
        return chain.replaceWith(admitted);
    }

    private Uni<Admission> admit(GroupCommand command,
            Map<String, Optional<ConnectionSummary>> connectionsOfPoll) {
        Optional<ConnectionSummary> known = connectionsOfPoll.get(command.connectionId());
        Uni<Optional<ConnectionSummary>> connection = known != null ? Uni.createFrom().item(known)
                : connections.find(command.connectionId())
                        .invoke(found -> connectionsOfPoll.put(command.connectionId(), found));
        return connection.chain(found -> {
            if (found.isEmpty()) {
                return refuse(Reason.NOT_FOUND, "connection " + command.connectionId() + " does not exist");
            }
            if (!found.get().scimEnabled()) {
                return refuse(Reason.FORBIDDEN, "SCIM is not enabled for connection " + found.get().name());
            }
            return checkMembers(command).map(leftOut -> new Admission(found.get(), null, leftOut))
                    .onFailure(Rejection.class).recoverWithItem(rejection -> new Admission(null,
                            ((Rejection) rejection).failure));
        });
    }

    private static Uni<Admission> refuse(Reason reason, String detail) {
        return Uni.createFrom().item(new Admission(null, new CommandFailure(reason, detail)));
    }

    /**
     * Every joining member must be a user of the connection: known here, or confirmed by membership-service. A
     * command that names one that is not is refused whole - unless it also takes members out (a removal, or the
     * member list replaced: a PUT): then it is applied without those ids, which are listed as a provisioning error
     * once it is committed. Refused whole, the removals in it were lost: Okta sends a move between groups as one
     * PATCH (remove, add), and a person taken out of a team that gives them a role kept it while the IdP retried
     * an add it would never get through.
     *
     * @return the ids the command is applied without
     */
    private Uni<List<String>> checkMembers(GroupCommand command) {
        // A create takes no one out: its member list (a replace edit) is refused whole, as an add is.
        boolean takesMembersOut = command.type() != GroupCommandType.CREATE && command.edits().stream()
                .anyMatch(e -> e.kind() == GroupEdit.Kind.REMOVE_MEMBERS || e.kind() == GroupEdit.Kind.REPLACE_MEMBERS);
        MemberIds.Parsed joining = MemberIds.parse(command.joiningMembers());
        if (joining.error().isPresent() && !takesMembersOut) {
            return Uni.createFrom().failure(new Rejection(Reason.INVALID_VALUE, joining.error().get()));
        }
        return directory.known(command.connectionId(), joining.ids()).chain(known -> {
            List<UUID> unknown = joining.ids().stream().filter(id -> !known.contains(id)).toList();
            if (unknown.isEmpty()) {
                return Uni.createFrom().item(joining.invalid());
            }
            return connections.users(command.connectionId(), unknown).chain(found -> {
                Set<UUID> confirmed = new HashSet<>();
                List<UserDirectory.User> users = new ArrayList<>();
                for (KnownUser user : found) {
                    UUID id = UUID.fromString(user.id());
                    confirmed.add(id);
                    users.add(new UserDirectory.User(id, command.connectionId(), user.userName(), user.active(),
                            user.version()));
                }
                List<UUID> strangers = unknown.stream().filter(id -> !confirmed.contains(id)).toList();
                if (!strangers.isEmpty() && !takesMembersOut) {
                    return Uni.createFrom().failure(new Rejection(Reason.INVALID_VALUE, MemberIds.notUsers(strangers)));
                }
                // As sent: the edits name them so, in whatever case.
                List<String> leftOut = new ArrayList<>(joining.invalid());
                Set<UUID> strangerIds = Set.copyOf(strangers);
                command.joiningMembers().stream().filter(id -> MemberIds.id(id).filter(strangerIds::contains)
                        .isPresent()).forEach(leftOut::add);
                return directory.remember(users).replaceWith(leftOut);
            });
        });
    }

    /** The command without {@code leftOut} among the members its adds and replaces name. */
    private static GroupCommand without(GroupCommand command, List<String> leftOut) {
        if (leftOut.isEmpty()) {
            return command;
        }
        Set<String> dropped = Set.copyOf(leftOut);
        List<GroupEdit> edits = command.edits().stream().map(edit -> switch (edit.kind()) {
            case ADD_MEMBERS -> GroupEdit.addMembers(edit.members().stream().filter(id -> !dropped.contains(id))
                    .toList());
            case REPLACE_MEMBERS -> GroupEdit.replaceMembers(edit.members().stream()
                    .filter(id -> !dropped.contains(id)).toList());
            default -> edit;
        }).toList();
        return new GroupCommand(command.commandId(), command.type(), command.connectionId(), command.groupId(), edits,
                command.expectedVersion(), command.origin(), command.issuedAt());
    }

    /**
     * The commands one after another, each seeing what the ones before it wrote. A command already answered -
     * before the transaction, by a consumer this partition was taken from meanwhile, or earlier in this poll -
     * gets its first outcome again.
     */
    private Uni<List<Applied>> applyAll(SqlConnection sql, List<Pending> commands,
            Map<UUID, CommandOutcome> answeredBefore, Map<UUID, Admission> admitted) {
        return processed.find(sql, admitted.keySet()).chain(answeredMeanwhile -> {
            Map<UUID, CommandOutcome> answered = new HashMap<>(answeredBefore);
            answered.putAll(answeredMeanwhile);
            List<Applied> applied = new ArrayList<>(commands.size());
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Pending pending : commands) {
                chain = chain.chain(() -> {
                    UUID id = pending.command().commandId();
                    CommandOutcome earlier = answered.get(id);
                    Admission admission = admitted.get(id);
                    Uni<Applied> outcome;
                    if (earlier != null) {
                        outcome = Uni.createFrom().item(new Applied(earlier, null));
                    } else if (admission.refusal() != null) {
                        outcome = reject(sql, pending.command(), admission.refusal()).map(o -> new Applied(o, null));
                    } else {
                        outcome = applyOne(sql, new Pending(without(pending.command(), admission.leftOut()),
                                pending.traceparent()), admission.connection())
                                .map(done -> done.outcome().status() == CommandOutcome.Status.APPLIED
                                        ? new Applied(done.outcome(), done.unmappedReasonToReport(),
                                                admission.leftOut())
                                        : done);
                    }
                    return outcome.invoke(done -> {
                        answered.putIfAbsent(id, done.outcome());
                        applied.add(done);
                    }).replaceWithVoid();
                });
            }
            return chain.replaceWith(applied);
        });
    }

    /**
     * One command in its own savepoint, with its trace context set for the outbox triggers that write its team
     * events. {@code set_config(..., true)} lasts until the transaction ends (a released savepoint keeps it), so
     * every command sets its own - empty when it has none - rather than inherit the one of the command before.
     */
    private Uni<Applied> applyOne(SqlConnection sql, Pending pending, ConnectionSummary connection) {
        GroupCommand command = pending.command();
        return sql.preparedQuery("select set_config($1, $2, true)")
                .execute(Tuple.of(OutboxTrace.SETTING, pending.traceparent() == null ? "" : pending.traceparent()))
                .chain(() -> sql.query("savepoint group_command").execute())
                .chain(() -> change(sql, command, connection)
                        .call(applied -> processed.record(sql, applied.outcome()))
                        .call(() -> sql.query("release savepoint group_command").execute())
                        .onFailure(GroupCommandApplier::causedByTheCommand).recoverWithUni(failure -> sql
                                .query("rollback to savepoint group_command").execute()
                                .chain(() -> sql.query("release savepoint group_command").execute())
                                .chain(() -> reject(sql, command, rejection(failure)))
                                .map(rejected -> new Applied(rejected, null))));
    }

    private Uni<Applied> change(SqlClient sql, GroupCommand command, ConnectionSummary connection) {
        if (command.type() == GroupCommandType.CREATE) {
            GroupRow group = new GroupRow();
            group.id = UUID.randomUUID();
            group.connectionId = command.connectionId();
            group.displayName = firstDisplayName(command);
            group.created = StoredTime.now(clock);
            group.lastModified = group.created;
            return requireFreeName(sql, group, group.displayName)
                    .chain(() -> groups.insert(sql, group))
                    .chain(() -> edit(sql, group, command.edits()))
                    .chain(() -> finish(sql, command, group, connection, true));
        }
        UUID id = parseGroupId(command.groupId());
        Uni<GroupRow> target = id == null ? Uni.createFrom().nullItem() : groups.lock(sql, command.connectionId(), id)
                .map(found -> found.orElse(null));
        return target.chain(group -> {
            if (group == null) {
                throw new Rejection(Reason.NOT_FOUND, "Group " + command.groupId() + " not found");
            }
            if (command.expectedVersion() != null && command.expectedVersion() != group.version) {
                throw new Rejection(Reason.VERSION_MISMATCH, "Group " + group.id + " is at version " + group.version
                        + ", not " + command.expectedVersion());
            }
            if (command.type() == GroupCommandType.DELETE) {
                return groups.delete(sql, group.id).map(ignored -> new Applied(
                        CommandOutcome.groupDeleted(command.commandId(), command.connectionId(), group.snapshot()),
                        null));
            }
            String nameBefore = group.displayName;
            group.lastModified = StoredTime.now(clock);
            return edit(sql, group, command.edits())
                    .chain(() -> finish(sql, command, group, connection, !group.displayName.equals(nameBefore)));
        });
    }

    /** The edits in order; each member edit is one statement. */
    private Uni<Void> edit(SqlClient sql, GroupRow group, List<GroupEdit> edits) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (GroupEdit edit : edits) {
            chain = chain.chain(() -> apply(sql, group, edit));
        }
        return chain;
    }

    private Uni<Void> apply(SqlClient sql, GroupRow group, GroupEdit edit) {
        switch (edit.kind()) {
            case SET_DISPLAY_NAME:
                String name = edit.value().trim();
                Uni<Void> check = name.equalsIgnoreCase(group.displayName) ? Uni.createFrom().voidItem()
                        : requireFreeName(sql, group, name);
                return check.invoke(() -> group.displayName = name);
            case SET_EXTERNAL_ID:
                group.externalId = edit.value();
                return Uni.createFrom().voidItem();
            case ADD_MEMBERS:
                return members.add(sql, group.id, MemberIds.parse(edit.members()).ids());
            case REMOVE_MEMBERS:
                // Ids that are not UUIDs cannot be members; removing them changes nothing.
                return members.remove(sql, group.id, MemberIds.parse(edit.members()).ids());
            case REPLACE_MEMBERS:
                return members.replace(sql, group.id, MemberIds.parse(edit.members()).ids());
            default:
                throw new IllegalArgumentException("unknown edit " + edit.kind());
        }
    }

    private Uni<Void> requireFreeName(SqlClient sql, GroupRow group, String name) {
        return groups.displayNameTaken(sql, group.connectionId, name, group.id).map(taken -> {
            if (taken) {
                throw new Rejection(Reason.UNIQUENESS, "a group named '" + name + "' already exists");
            }
            return null;
        });
    }

    /** Maps the group to its team (creating the team if needed) and saves it at its next version. */
    private Uni<Applied> finish(SqlClient sql, GroupCommand command, GroupRow group,
            ConnectionSummary connection, boolean nameIsNew) {
        Set<String> linked = new LinkedHashSet<>(connection.organizations());
        return mappings.explicitMapping(sql, group.connectionId, group.id).chain(explicit -> {
            TeamMapping.Resolution mapping = TeamMapping.resolve(group.displayName, explicit, linked);
            Uni<UUID> team = mapping.isMapped()
                    ? mappings.team(sql, mapping.target().organization(), mapping.target().team())
                    : Uni.createFrom().nullItem();
            return team.chain(teamId -> groups.save(sql, group, teamId,
                            mapping.isMapped() ? mapping.target().role() : null, mapping.unmappedReason()))
                    .map(saved -> new Applied(CommandOutcome.applied(command.commandId(), command.connectionId(),
                            saved.snapshot()), nameIsNew ? mapping.unmappedReason() : null));
        });
    }

    /** Groups that map nowhere show up in their connection's provisioning errors; the groups themselves are kept. */
    private Uni<Void> report(List<Pending> commands, List<Applied> applied) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int i = 0; i < applied.size(); i++) {
            GroupCommand command = commands.get(i).command();
            Applied done = applied.get(i);
            if (done.unmappedReasonToReport() != null) {
                chain = chain.chain(() -> report(command, done));
            }
            if (!done.leftOut().isEmpty()) {
                chain = chain.chain(() -> reportLeftOut(command, done));
            }
        }
        return chain;
    }

    private Uni<Void> report(GroupCommand command, Applied applied) {
        return recordError(command, applied, "UNMAPPED_GROUP", applied.unmappedReasonToReport(),
                "Rename the group in your IdP to 'organization:team' with an organization linked to this "
                        + "connection, or map it with PUT /admin/v1/connections/{name}/group-mappings/"
                        + applied.outcome().group().id());
    }

    private Uni<Void> reportLeftOut(GroupCommand command, Applied applied) {
        return recordError(command, applied, Reason.INVALID_VALUE.name(), MemberIds.notUsers(applied.leftOut())
                        + ": left out; the rest of the change, its removals among them, was applied",
                "Provision those users to this connection first (assign them to the application), or take "
                        + "them out of the group in your IdP");
    }

    /** A committed command's problem, listed with its connection's provisioning errors. */
    private Uni<Void> recordError(GroupCommand command, Applied applied, String reason, String detail,
            String suggestedFix) {
        var group = applied.outcome().group();
        return connections.recordError(command.connectionId(), new ProvisioningErrorReport(
                        command.commandId().toString(), command.origin() == null ? null : command.origin().requestId(),
                        "group " + command.type().name().toLowerCase(Locale.ROOT), group.displayName(), reason, detail,
                        suggestedFix))
                // The group is stored either way; a missing diagnostic must not fail the command.
                .onFailure().invoke(e -> LOG.warnf("could not record %s of group %s: %s", reason, group.id(),
                        e.getMessage()))
                .onFailure().recoverWithNull();
    }

    private Uni<CommandOutcome> reject(SqlClient sql, GroupCommand command, CommandFailure failure) {
        CommandOutcome rejected = CommandOutcome.rejected(command.commandId(), command.connectionId(), failure);
        LOG.infof("rejected command %s (%s of group %s): %s", command.commandId(), command.type(), command.groupId(),
                failure.detail());
        return processed.record(sql, rejected);
    }

    /** Why a command that failed in its savepoint is rejected. */
    private static CommandFailure rejection(Throwable failure) {
        if (failure instanceof Rejection rejection) {
            return rejection.failure;
        }
        if (isDuplicateName(failure)) {
            return new CommandFailure(Reason.UNIQUENESS, "a group with this displayName already exists");
        }
        return new CommandFailure(Reason.INVALID_VALUE, "the group could not be stored: " + failure.getMessage());
    }

    /**
     * Whether a failure comes from the command itself - a rule of ours, an integrity, data or size limit
     * PostgreSQL enforces (SQLSTATE classes 23, 22, 54), or our own code throwing on it (it would throw again
     * on every retry, and the partition would stop behind it) - rather than from the database (unreachable,
     * shutting down, a deadlock with a concurrent writer: worth retrying the whole poll). A command another consumer
     * recorded meanwhile is no fault of the command: the retried poll answers it from that record.
     */
    static boolean causedByTheCommand(Throwable failure) {
        return failure instanceof Rejection || DatabaseFailures.causedByTheData(failure)
                && !DatabaseFailures.uniqueViolation(failure, ProcessedCommands.ALREADY_RECORDED);
    }

    private static String firstDisplayName(GroupCommand command) {
        return command.edits().stream().filter(e -> e.kind() == GroupEdit.Kind.SET_DISPLAY_NAME)
                .map(e -> e.value().trim()).findFirst().orElseThrow();
    }

    private static UUID parseGroupId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A unique violation of the group's display name (V1's scim_group_display_name), however wrapped. */
    private static boolean isDuplicateName(Throwable failure) {
        return DatabaseFailures.uniqueViolation(failure, "scim_group_display_name");
    }
}
