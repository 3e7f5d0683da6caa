package dev.scimsync.groupsync.messaging;

import dev.scimsync.contracts.CommandFailure;
import dev.scimsync.contracts.CommandFailure.Reason;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.GroupCommand;
import dev.scimsync.contracts.GroupCommandType;
import dev.scimsync.contracts.GroupEdit;
import dev.scimsync.groupsync.domain.MemberIds;
import dev.scimsync.groupsync.domain.TeamMapping;
import dev.scimsync.groupsync.membership.Connections;
import dev.scimsync.groupsync.membership.MembershipDirectory;
import dev.scimsync.groupsync.persistence.GroupRow;
import dev.scimsync.groupsync.persistence.GroupStore;
import dev.scimsync.groupsync.persistence.ProcessedCommands;
import dev.scimsync.groupsync.persistence.UserDirectory;
import dev.scimsync.outbox.OutboxTrace;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Applies one group command in one transaction together with the record of its outcome, so a redelivered
 * command is answered rather than applied twice. Members are checked against membership-service's users
 * first; a command naming anyone else is rejected whole, before anything is written.
 */
@ApplicationScoped
public class GroupCommandHandler {

    private static final Logger LOG = Logger.getLogger(GroupCommandHandler.class);
    private static final String UNIQUE_VIOLATION = "23505";

    private final GroupStore groups;
    private final ProcessedCommands processed;
    private final UserDirectory directory;
    private final Connections connections;

    public GroupCommandHandler(GroupStore groups, ProcessedCommands processed, UserDirectory directory,
            Connections connections) {
        this.groups = groups;
        this.processed = processed;
        this.directory = directory;
        this.connections = connections;
    }

    /** Thrown inside the transaction to roll back what was written and answer with a rejection. */
    static final class Rejection extends RuntimeException {
        final CommandFailure failure;

        Rejection(Reason reason, String detail) {
            super(detail, null, false, false);
            this.failure = new CommandFailure(reason, detail);
        }
    }

    /** What a committed command did, and the mapping problem to report if it made one. */
    private record Applied(CommandOutcome outcome, String unmappedReasonToReport) {
    }

    /**
     * @param traceparent the W3C trace context the command arrived with, or null; team events written by this
     *                    transaction carry it
     */
    public Uni<CommandOutcome> handle(GroupCommand command, String traceparent) {
        return processed.find(groups.pool(), command.commandId()).chain(done -> done.isPresent()
                ? Uni.createFrom().item(done.get())
                : connections.find(command.connectionId()).chain(connection -> {
                    if (connection.isEmpty()) {
                        return reject(command, Reason.NOT_FOUND, "connection " + command.connectionId()
                                + " does not exist");
                    }
                    if (!connection.get().scimEnabled()) {
                        return reject(command, Reason.FORBIDDEN, "SCIM is not enabled for connection "
                                + connection.get().name());
                    }
                    return checkMembers(command).chain(() -> apply(command, connection.get(), traceparent))
                            .onFailure(Rejection.class).recoverWithUni(rejection -> reject(command,
                                    ((Rejection) rejection).failure));
                }));
    }

    /** Every joining member must be a user of the connection: known here, or confirmed by membership-service. */
    private Uni<Void> checkMembers(GroupCommand command) {
        MemberIds.Parsed joining = MemberIds.parse(command.joiningMembers());
        if (joining.error().isPresent()) {
            return Uni.createFrom().failure(new Rejection(Reason.INVALID_VALUE, joining.error().get()));
        }
        return directory.known(command.connectionId(), joining.ids()).chain(known -> {
            List<UUID> unknown = joining.ids().stream().filter(id -> !known.contains(id)).toList();
            if (unknown.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            return connections.users(command.connectionId(), unknown).chain(found -> {
                Set<UUID> confirmed = new HashSet<>();
                List<UserDirectory.User> users = new ArrayList<>();
                for (MembershipDirectory.KnownUser user : found) {
                    UUID id = UUID.fromString(user.id());
                    confirmed.add(id);
                    users.add(new UserDirectory.User(id, command.connectionId(), user.userName(), user.active(),
                            user.version()));
                }
                List<UUID> strangers = unknown.stream().filter(id -> !confirmed.contains(id)).toList();
                if (!strangers.isEmpty()) {
                    return Uni.createFrom().failure(new Rejection(Reason.INVALID_VALUE, MemberIds.notUsers(strangers)));
                }
                return directory.remember(users);
            });
        });
    }

    private Uni<CommandOutcome> apply(GroupCommand command, MembershipDirectory.Connection connection,
            String traceparent) {
        return groups.pool().withTransaction(sql -> attachTrace(sql, traceparent)
                .chain(() -> processed.find(sql, command.commandId())).chain(done -> done.isPresent()
                        ? Uni.createFrom().item(new Applied(done.get(), null))
                        : change(sql, command, connection)
                                .chain(applied -> processed.record(sql, applied.outcome()).replaceWith(applied))))
                .onFailure(GroupCommandHandler::isDuplicateName).transform(e -> new Rejection(Reason.UNIQUENESS,
                        "a group with this displayName already exists"))
                .call(applied -> report(command, applied))
                .map(Applied::outcome);
    }

    private Uni<Applied> change(SqlClient sql, GroupCommand command, MembershipDirectory.Connection connection) {
        if (command.type() == GroupCommandType.CREATE) {
            GroupRow group = new GroupRow();
            group.id = UUID.randomUUID();
            group.connectionId = command.connectionId();
            group.displayName = firstDisplayName(command);
            group.created = Instant.now().truncatedTo(ChronoUnit.MICROS);
            group.lastModified = group.created;
            return requireFreeName(sql, group, group.displayName)
                    .chain(() -> groups.insert(sql, group))
                    .chain(() -> edit(sql, group, command.edits()))
                    .chain(() -> finish(sql, command, group, connection, true));
        }
        UUID id = parseGroupId(command.groupId());
        Uni<GroupRow> target = id == null ? Uni.createFrom().nullItem() : groups.find(sql, command.connectionId(), id,
                true).map(found -> found.orElse(null));
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
                return groups.addMembers(sql, group.id, MemberIds.parse(edit.members()).ids());
            case REMOVE_MEMBERS:
                // Ids that are not UUIDs cannot be members; removing them changes nothing.
                return groups.removeMembers(sql, group.id, MemberIds.parse(edit.members()).ids());
            case REPLACE_MEMBERS:
                return groups.replaceMembers(sql, group.id, MemberIds.parse(edit.members()).ids());
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
            MembershipDirectory.Connection connection, boolean nameIsNew) {
        Set<String> linked = new LinkedHashSet<>(connection.organizations());
        return groups.explicitMapping(sql, group.connectionId, group.id).chain(explicit -> {
            TeamMapping.Resolution mapping = TeamMapping.resolve(group.displayName, explicit, linked);
            Uni<UUID> team = mapping.isMapped()
                    ? groups.team(sql, mapping.target().organization(), mapping.target().team())
                    : Uni.createFrom().nullItem();
            return team.chain(teamId -> groups.save(sql, group, teamId,
                            mapping.isMapped() ? mapping.target().role() : null, mapping.unmappedReason()))
                    .map(saved -> new Applied(CommandOutcome.applied(command.commandId(), command.connectionId(),
                            saved.snapshot()), nameIsNew ? mapping.unmappedReason() : null));
        });
    }

    /** Sets {@code scimsync.traceparent} for this transaction: the outbox triggers put it on the team events. */
    private static Uni<Void> attachTrace(SqlClient sql, String traceparent) {
        return traceparent == null ? Uni.createFrom().voidItem()
                : sql.preparedQuery("select set_config($1, $2, true)")
                        .execute(io.vertx.mutiny.sqlclient.Tuple.of(OutboxTrace.SETTING, traceparent)).replaceWithVoid();
    }

    /** A group that maps nowhere shows up in the connection's provisioning errors; the group itself is kept. */
    private Uni<Void> report(GroupCommand command, Applied applied) {
        if (applied.unmappedReasonToReport() == null) {
            return Uni.createFrom().voidItem();
        }
        var group = applied.outcome().group();
        return connections.recordError(command.connectionId(), new MembershipDirectory.ProvisioningError(
                        command.commandId().toString(), command.origin() == null ? null : command.origin().requestId(),
                        "group " + command.type().name().toLowerCase(java.util.Locale.ROOT), group.displayName(),
                        "UNMAPPED_GROUP", applied.unmappedReasonToReport(),
                        "Rename the group in your IdP to 'organization:team' with an organization linked to this "
                                + "connection, or map it with PUT /admin/v1/connections/{name}/group-mappings/"
                                + group.id()))
                // The group is stored either way; a missing diagnostic must not fail the command.
                .onFailure().invoke(e -> LOG.warnf("could not record the unmapped group %s: %s", group.id(),
                        e.getMessage()))
                .onFailure().recoverWithNull();
    }

    private Uni<CommandOutcome> reject(GroupCommand command, Reason reason, String detail) {
        return reject(command, new CommandFailure(reason, detail));
    }

    private Uni<CommandOutcome> reject(GroupCommand command, CommandFailure failure) {
        CommandOutcome rejected = CommandOutcome.rejected(command.commandId(), command.connectionId(), failure);
        LOG.infof("rejected %s of group %s: %s", command.type(), command.groupId(), failure.detail());
        return groups.pool().withTransaction(sql -> processed.record(sql, rejected));
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

    private static boolean isDuplicateName(Throwable failure) {
        return failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())
                && pg.getMessage() != null && pg.getMessage().contains("scim_group_display_name");
    }
}
