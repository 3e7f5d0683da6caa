package dev.scimsync.contracts;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The committed result of a command: published only after the owning service's transaction committed,
 * so an answer built from it never describes a write that could still be lost.
 *
 * @param user    the user after the write, when a user command was applied; for a held one, the user as the
 *                command asked (what the IdP is answered), not as stored
 * @param group   the group after the write, when a group command was applied
 * @param deleted whether the applied command deleted its user or group (the snapshot is its last state)
 * @param failure why it was not, when it was rejected
 */
public record CommandOutcome(
        UUID commandId,
        String connectionId,
        Status status,
        UserSnapshot user,
        GroupSnapshot group,
        boolean deleted,
        CommandFailure failure,
        Instant completedAt) {

    /**
     * {@code HELD}: a deactivation or removal the mass-deprovisioning guard held (docs/admin-guide.md): nothing
     * was changed, an admin approves or rejects it; the IdP is answered as if it was applied, so that it neither
     * retries nor quarantines the app.
     */
    public enum Status {
        APPLIED, REJECTED, HELD
    }

    public CommandOutcome {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(status, "status");
        if (status == Status.REJECTED && failure == null) {
            throw new IllegalArgumentException("a rejected outcome needs a failure");
        }
    }

    public static CommandOutcome applied(UUID commandId, String connectionId, UserSnapshot user) {
        return new CommandOutcome(commandId, connectionId, Status.APPLIED, user, null, false, null, Instant.now());
    }

    public static CommandOutcome userDeleted(UUID commandId, String connectionId, UserSnapshot user) {
        return new CommandOutcome(commandId, connectionId, Status.APPLIED, user, null, true, null, Instant.now());
    }

    public static CommandOutcome applied(UUID commandId, String connectionId, GroupSnapshot group) {
        return new CommandOutcome(commandId, connectionId, Status.APPLIED, null, group, false, null, Instant.now());
    }

    public static CommandOutcome groupDeleted(UUID commandId, String connectionId, GroupSnapshot group) {
        return new CommandOutcome(commandId, connectionId, Status.APPLIED, null, group, true, null, Instant.now());
    }

    /** A user deactivation ({@code deleted} false) or removal held by the guard, answered with the user as asked. */
    public static CommandOutcome held(UUID commandId, String connectionId, UserSnapshot asAsked, boolean deleted) {
        return new CommandOutcome(commandId, connectionId, Status.HELD, asAsked, null, deleted, null, Instant.now());
    }

    public static CommandOutcome rejected(UUID commandId, String connectionId, CommandFailure failure) {
        return new CommandOutcome(commandId, connectionId, Status.REJECTED, null, null, false, failure, Instant.now());
    }
}
