package dev.scimsync.contracts;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The committed result of a command: published only after the owning service's transaction committed,
 * so an answer built from it never describes a write that could still be lost.
 *
 * @param user    the user after the write, when the command was applied
 * @param failure why it was not, when it was rejected
 */
public record CommandOutcome(
        UUID commandId,
        String connectionId,
        Status status,
        UserSnapshot user,
        CommandFailure failure,
        Instant completedAt) {

    public enum Status {
        APPLIED, REJECTED
    }

    public CommandOutcome {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(status, "status");
        if (status == Status.REJECTED && failure == null) {
            throw new IllegalArgumentException("a rejected outcome needs a failure");
        }
    }

    public static CommandOutcome applied(UUID commandId, String connectionId, UserSnapshot user) {
        return new CommandOutcome(commandId, connectionId, Status.APPLIED, user, null, Instant.now());
    }

    public static CommandOutcome rejected(UUID commandId, String connectionId, CommandFailure failure) {
        return new CommandOutcome(commandId, connectionId, Status.REJECTED, null, failure, Instant.now());
    }
}
