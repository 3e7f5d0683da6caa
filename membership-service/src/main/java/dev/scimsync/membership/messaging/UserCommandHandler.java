package dev.scimsync.membership.messaging;

import dev.scimsync.contracts.CommandFailure;
import dev.scimsync.contracts.CommandFailure.Reason;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.membership.domain.MemberSource;
import dev.scimsync.membership.domain.Placements;
import dev.scimsync.membership.domain.ProvisioningAdvice;
import dev.scimsync.membership.persistence.AccountEntity;
import dev.scimsync.membership.persistence.ConnectionEntity;
import dev.scimsync.membership.persistence.MemberEntity;
import dev.scimsync.membership.persistence.Memberships;
import dev.scimsync.membership.persistence.ProcessedCommandEntity;
import dev.scimsync.membership.persistence.ProvisioningErrorEntity;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Applies one user command in one transaction, together with the record that it was applied (and, for a
 * rejection, the provisioning error the admin sees), so a redelivered command gets its first outcome back
 * instead of being applied twice.
 */
@ApplicationScoped
public class UserCommandHandler {

    private static final Logger LOG = Logger.getLogger(UserCommandHandler.class);
    private static final String UNIQUE_VIOLATION = "23505";

    private final Memberships memberships;

    public UserCommandHandler(Memberships memberships) {
        this.memberships = memberships;
    }

    /**
     * @param traceparent the W3C trace context the command arrived with, or null; membership events written by
     *                    this transaction carry it
     */
    public Uni<CommandOutcome> handle(UserCommand command, String traceparent) {
        UUID connectionId;
        try {
            connectionId = UUID.fromString(command.connectionId());
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(CommandOutcome.rejected(command.commandId(), command.connectionId(),
                    new CommandFailure(Reason.INVALID_VALUE, "unknown connection " + command.connectionId())));
        }
        return attempt(connectionId, command, traceparent)
                // Two writers raced for a unique row (the same userName, or a team both created on first use), the
                // unique index stopped the second one and its transaction rolled back. Commands run concurrently
                // across tenants, so running it once more sees the first writer's row and answers from it; only a
                // second clash is a rejection, recorded in a transaction of its own.
                .onFailure(UserCommandHandler::isUniqueViolation).recoverWithUni(() -> attempt(connectionId, command,
                        traceparent))
                .onFailure(UserCommandHandler::isUniqueViolation).recoverWithUni(() -> rejectAfterRollback(connectionId,
                        command, taken(command)))
                // A full organization aborts the transaction (nothing of the command is kept); then the rejection
                // is recorded on its own.
                .onFailure(Memberships.NoSeats.class).recoverWithUni(full -> rejectAfterRollback(connectionId, command,
                        rejection(command, Reason.NO_SEATS, full.getMessage())));
    }

    /** The command and the record that it was applied, in one transaction; a redelivery gets the first outcome. */
    private Uni<CommandOutcome> attempt(UUID connectionId, UserCommand command, String traceparent) {
        return Panache.withTransaction(() -> TraceContext.attach(traceparent)
                .chain(() -> ProcessedCommandEntity.<ProcessedCommandEntity>findById(command.commandId()))
                .flatMap(processed -> processed != null
                        ? Uni.createFrom().item(processed.toOutcome())
                        : apply(connectionId, command).call(outcome -> record(connectionId, command, outcome))));
    }

    private static Uni<CommandOutcome> rejectAfterRollback(UUID connectionId, UserCommand command,
            CommandOutcome rejected) {
        return Panache.withTransaction(() -> record(connectionId, command, rejected).replaceWith(rejected));
    }

    private Uni<CommandOutcome> apply(UUID connectionId, UserCommand command) {
        return ConnectionEntity.<ConnectionEntity>findById(connectionId).flatMap(connection -> {
            if (connection == null) {
                return rejected(command, Reason.NOT_FOUND, "connection " + connectionId + " does not exist");
            }
            if (!connection.scimEnabled) {
                return rejected(command, Reason.FORBIDDEN, "SCIM is not enabled for connection " + connection.name);
            }
            return switch (command.type()) {
                case CREATE -> create(connection, command);
                case REPLACE -> replace(connection, command);
                case DELETE -> delete(connection, command);
            };
        });
    }

    private Uni<CommandOutcome> create(ConnectionEntity connection, UserCommand command) {
        String userName = command.profile().userName();
        return AccountEntity.findByUserName(connection.id, userName).flatMap(existing -> {
            if (existing != null && existing.managedByScim()) {
                return Uni.createFrom().item(taken(command));
            }
            if (existing != null && !(connection.adoptJit && "jit".equals(existing.source))) {
                return rejected(command, Reason.NOT_MANAGED, "'" + userName + "' is a member added by " + existing.source
                        + " sign-in, not by SCIM; run the JIT-to-SCIM migration to let SCIM adopt such members");
            }
            return placement(connection, command, resolved -> manualMemberOf(resolved.organization(), userName)
                    .flatMap(manual -> {
                        if (manual) {
                            return rejected(command, Reason.NOT_MANAGED, "'" + userName + "' was added to organization "
                                    + resolved.organization() + " by hand; SCIM does not manage such members - "
                                    + "remove them by hand first");
                        }
                        Instant now = now();
                        AccountEntity account;
                        if (existing != null) {
                            // Adoption: the JIT member keeps its id and history; SCIM manages it from now on.
                            account = existing;
                            account.replaceProfile(command.profile(), now);
                            account.source = "scim";
                        } else {
                            account = AccountEntity.create(connection.id, command.profile(), now);
                        }
                        Uni<?> saved = existing != null ? adoptMemberships(account) : account.persist();
                        return saved
                                .chain(() -> memberships.place(account, resolved, MemberSource.SCIM, now))
                                .call(() -> Panache.flush())
                                .map(ignored -> {
                                    LOG.infof("%s user %s in connection %s", existing != null ? "adopted" : "created",
                                            account.id, connection.name);
                                    return CommandOutcome.applied(command.commandId(), command.connectionId(),
                                            account.toSnapshot());
                                });
                    }));
        });
    }

    /** The whole profile is replaced; userName stays unique, the placement follows, the version moves on. */
    private Uni<CommandOutcome> replace(ConnectionEntity connection, UserCommand command) {
        return target(connection, command, account -> AccountEntity
                .findByUserName(connection.id, command.profile().userName())
                .flatMap(holder -> {
                    if (holder != null && !holder.id.equals(account.id)) {
                        return Uni.createFrom().item(taken(command));
                    }
                    return placement(connection, command, resolved -> {
                        Instant now = now();
                        account.replaceProfile(command.profile(), now);
                        return memberships.followActive(account)
                                .chain(() -> memberships.place(account, resolved, MemberSource.SCIM, now))
                                .call(() -> Panache.flush())
                                .map(ignored -> CommandOutcome.applied(command.commandId(), command.connectionId(),
                                        account.toSnapshot()));
                    });
                }));
    }

    /** The user leaves every organization of the connection and its record is removed. */
    private Uni<CommandOutcome> delete(ConnectionEntity connection, UserCommand command) {
        return target(connection, command, account -> account.delete()
                .call(() -> Panache.flush())
                .map(deleted -> {
                    LOG.infof("deleted user %s in connection %s", account.id, connection.name);
                    return CommandOutcome.userDeleted(command.commandId(), command.connectionId(), account.toSnapshot());
                }));
    }

    /**
     * Loads the command's user, answering itself for a missing one, one SCIM does not manage, or a version
     * mismatch (If-Match).
     */
    private Uni<CommandOutcome> target(ConnectionEntity connection, UserCommand command,
            Function<AccountEntity, Uni<CommandOutcome>> change) {
        UUID userId;
        try {
            userId = UUID.fromString(command.userId());
        } catch (IllegalArgumentException e) {
            return rejected(command, Reason.NOT_FOUND, "User " + command.userId() + " not found");
        }
        return AccountEntity.findInConnection(connection.id, userId).flatMap(account -> {
            if (account == null) {
                return rejected(command, Reason.NOT_FOUND, "User " + command.userId() + " not found");
            }
            if (!account.managedByScim()) {
                return rejected(command, Reason.NOT_MANAGED, "User " + command.userId() + " was added by "
                        + account.source + " sign-in before SCIM, so SCIM does not change or remove it; an admin can");
            }
            if (command.expectedVersion() != null && command.expectedVersion() != account.version) {
                return rejected(command, Reason.VERSION_MISMATCH, "User " + command.userId() + " is at version "
                        + account.version + ", not " + command.expectedVersion() + "; read it again");
            }
            return change.apply(account);
        });
    }

    private Uni<CommandOutcome> placement(ConnectionEntity connection, UserCommand command,
            Function<Placements.Resolved, Uni<CommandOutcome>> next) {
        return memberships.defaults(connection).flatMap(defaults -> {
            try {
                return next.apply(Placements.resolve(defaults, command.profile().placement()));
            } catch (Placements.InvalidPlacement invalid) {
                return rejected(command, Reason.INVALID_VALUE, invalid.getMessage());
            }
        });
    }

    /** Whether an account added by hand (no connection) with this email is a member of the organization. */
    private static Uni<Boolean> manualMemberOf(String organization, String email) {
        return MemberEntity.count("key.organizationId in (select o.id from OrganizationEntity o where o.name = ?1) "
                        + "and key.accountId in (select a.id from AccountEntity a where a.connectionId is null "
                        + "and lower(a.userName) = lower(?2))", organization, email)
                .map(count -> count > 0);
    }

    private static Uni<Void> adoptMemberships(AccountEntity account) {
        return MemberEntity.<MemberEntity>list("key.accountId", account.id)
                .invoke(members -> members.forEach(m -> m.source = MemberSource.SCIM.wireName()))
                .replaceWithVoid();
    }

    /** The processed-command record, and for a rejection the provisioning error with a suggested fix. */
    private static Uni<Void> record(UUID connectionId, UserCommand command, CommandOutcome outcome) {
        Uni<?> processed = ProcessedCommandEntity.of(connectionId, outcome).persist();
        if (outcome.status() == CommandOutcome.Status.APPLIED) {
            return processed.replaceWithVoid();
        }
        return processed.chain(() -> ConnectionEntity.<ConnectionEntity>findById(connectionId)).chain(connection -> {
            if (connection == null) {
                return Uni.createFrom().voidItem();
            }
            ProvisioningErrorEntity error = new ProvisioningErrorEntity();
            error.id = UUID.randomUUID();
            error.connectionId = connectionId;
            error.commandId = command.commandId();
            error.requestId = command.origin() == null ? null : command.origin().requestId();
            error.operation = "user." + command.type().name().toLowerCase(Locale.ROOT);
            error.userName = command.profile() == null ? command.userId() : command.profile().userName();
            error.reason = outcome.failure().reason().name();
            error.detail = outcome.failure().detail();
            error.suggestedFix = ProvisioningAdvice.suggestedFix(outcome.failure().reason());
            error.occurredAt = outcome.completedAt();
            return error.persist().replaceWithVoid();
        });
    }

    private static Instant now() {
        // PostgreSQL keeps microseconds; cut here so the answer equals what a later read returns.
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private static CommandOutcome taken(UserCommand command) {
        return rejection(command, Reason.UNIQUENESS,
                "userName '" + command.profile().userName() + "' is already taken in this connection");
    }

    private static CommandOutcome rejection(UserCommand command, Reason reason, String detail) {
        return CommandOutcome.rejected(command.commandId(), command.connectionId(), new CommandFailure(reason, detail));
    }

    private static Uni<CommandOutcome> rejected(UserCommand command, Reason reason, String detail) {
        return Uni.createFrom().item(rejection(command, reason, detail));
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
