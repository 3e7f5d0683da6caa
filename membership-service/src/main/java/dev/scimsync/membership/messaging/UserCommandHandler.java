package dev.scimsync.membership.messaging;

import dev.scimsync.contracts.CommandFailure;
import dev.scimsync.contracts.CommandFailure.Reason;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.membership.domain.MemberSource;
import dev.scimsync.membership.domain.MemberState;
import dev.scimsync.membership.persistence.AccountEntity;
import dev.scimsync.membership.persistence.ConnectionEntity;
import dev.scimsync.membership.persistence.MemberEntity;
import dev.scimsync.membership.persistence.ProcessedCommandEntity;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Applies one user command in one transaction, together with the record that it was applied, so a
 * redelivered command gets its first outcome back instead of being applied twice.
 */
@ApplicationScoped
public class UserCommandHandler {

    private static final Logger LOG = Logger.getLogger(UserCommandHandler.class);
    private static final String UNIQUE_VIOLATION = "23505";

    public Uni<CommandOutcome> handle(UserCommand command) {
        UUID connectionId;
        try {
            connectionId = UUID.fromString(command.connectionId());
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(CommandOutcome.rejected(command.commandId(), command.connectionId(),
                    new CommandFailure(Reason.INVALID_VALUE, "unknown connection " + command.connectionId())));
        }
        return Panache.withTransaction(() -> ProcessedCommandEntity.<ProcessedCommandEntity>findById(command.commandId())
                        .flatMap(processed -> processed != null
                                ? Uni.createFrom().item(processed.toOutcome())
                                : apply(connectionId, command).call(outcome ->
                                        ProcessedCommandEntity.of(connectionId, outcome).persist())))
                // Two writers raced for the same userName and the unique index stopped the second one:
                // record that rejection in a transaction of its own (the first one rolled back).
                .onFailure(UserCommandHandler::isUniqueViolation).recoverWithUni(() -> Panache.withTransaction(() -> {
                    CommandOutcome rejected = taken(command);
                    return ProcessedCommandEntity.of(connectionId, rejected).persist().replaceWith(rejected);
                }));
    }

    private Uni<CommandOutcome> apply(UUID connectionId, UserCommand command) {
        return switch (command.type()) {
            case CREATE -> create(connectionId, command);
            case REPLACE -> replace(connectionId, command);
            case DELETE -> delete(connectionId, command);
        };
    }

    /** The whole profile is replaced; userName stays unique, and the version moves on by one. */
    private Uni<CommandOutcome> replace(UUID connectionId, UserCommand command) {
        return target(connectionId, command, account -> AccountEntity
                .findByUserName(connectionId, command.profile().userName())
                .flatMap(holder -> {
                    if (holder != null && !holder.id.equals(account.id)) {
                        return Uni.createFrom().item(taken(command));
                    }
                    account.replaceProfile(command.profile(), Instant.now().truncatedTo(ChronoUnit.MILLIS));
                    return MemberEntity.<MemberEntity>list("key.accountId", account.id)
                            .invoke(members -> members.forEach(m -> m.state = MemberState.of(account.active).wireName()))
                            .call(() -> Panache.flush())
                            .map(members -> CommandOutcome.applied(command.commandId(), command.connectionId(),
                                    account.toSnapshot()));
                }));
    }

    /** The user leaves every organization of the connection and its record is removed. */
    private Uni<CommandOutcome> delete(UUID connectionId, UserCommand command) {
        return target(connectionId, command, account -> account.delete()
                .call(() -> Panache.flush())
                .map(deleted -> {
                    LOG.infof("deleted user %s in connection %s", account.id, connectionId);
                    return CommandOutcome.applied(command.commandId(), command.connectionId(), account.toSnapshot());
                }));
    }

    /** Loads the command's user, answering for a missing one or a version mismatch (If-Match) itself. */
    private Uni<CommandOutcome> target(UUID connectionId, UserCommand command,
            java.util.function.Function<AccountEntity, Uni<CommandOutcome>> change) {
        UUID userId;
        try {
            userId = UUID.fromString(command.userId());
        } catch (IllegalArgumentException e) {
            return rejected(command, Reason.NOT_FOUND, "User " + command.userId() + " not found");
        }
        return AccountEntity.findInConnection(connectionId, userId).flatMap(account -> {
            if (account == null) {
                return rejected(command, Reason.NOT_FOUND, "User " + command.userId() + " not found");
            }
            if (command.expectedVersion() != null && command.expectedVersion() != account.version) {
                return rejected(command, Reason.VERSION_MISMATCH, "User " + command.userId() + " is at version "
                        + account.version + ", not " + command.expectedVersion() + "; read it again");
            }
            return change.apply(account);
        });
    }

    private Uni<CommandOutcome> create(UUID connectionId, UserCommand command) {
        return ConnectionEntity.<ConnectionEntity>findById(connectionId).flatMap(connection -> {
            if (connection == null) {
                return rejected(command, Reason.NOT_FOUND, "connection " + connectionId + " does not exist");
            }
            if (!connection.scimEnabled) {
                return rejected(command, Reason.FORBIDDEN, "SCIM is not enabled for connection " + connection.name);
            }
            return AccountEntity.findByUserName(connectionId, command.profile().userName()).flatMap(existing -> {
                if (existing != null) {
                    return Uni.createFrom().item(taken(command));
                }
                // PostgreSQL keeps microseconds; cut here so the answer equals what a later read returns.
                Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                AccountEntity account = AccountEntity.create(connectionId, command.profile(), now);
                MemberEntity member = new MemberEntity();
                member.key = new MemberEntity.Key(account.id, connection.defaultOrganizationId);
                member.role = connection.defaultRole;
                member.state = MemberState.of(account.active).wireName();
                member.source = MemberSource.SCIM.wireName();
                member.createdAt = now;
                return account.persist()
                        .call(() -> member.persist())
                        .call(() -> Panache.flush())
                        .map(saved -> {
                            LOG.infof("created user %s in connection %s", account.id, connection.name);
                            return CommandOutcome.applied(command.commandId(), command.connectionId(),
                                    account.toSnapshot());
                        });
            });
        });
    }

    private static CommandOutcome taken(UserCommand command) {
        return CommandOutcome.rejected(command.commandId(), command.connectionId(), new CommandFailure(Reason.UNIQUENESS,
                "userName '" + command.profile().userName() + "' is already taken in this connection"));
    }

    private static Uni<CommandOutcome> rejected(UserCommand command, Reason reason, String detail) {
        return Uni.createFrom().item(
                CommandOutcome.rejected(command.commandId(), command.connectionId(), new CommandFailure(reason, detail)));
    }

    static boolean isUniqueViolation(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof io.vertx.pgclient.PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())) {
                return true;
            }
            if (cause instanceof org.hibernate.exception.ConstraintViolationException violation
                    && UNIQUE_VIOLATION.equals(violation.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
