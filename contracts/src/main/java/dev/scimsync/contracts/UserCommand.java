package dev.scimsync.contracts;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A write to one SCIM user, validated by the gateway, applied by membership-service exactly once
 * (idempotent by {@code commandId}).
 *
 * @param userId  the target user, null for {@link UserCommandType#CREATE}
 * @param profile the user's attributes as validated by the gateway; membership-service stores them
 *                without interpreting SCIM
 */
public record UserCommand(
        UUID commandId,
        UserCommandType type,
        String connectionId,
        String userId,
        UserProfile profile,
        CommandOrigin origin,
        Instant issuedAt) {

    public UserCommand {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(issuedAt, "issuedAt");
        if (type == UserCommandType.CREATE && profile == null) {
            throw new IllegalArgumentException("a create command needs a profile");
        }
    }

    public static UserCommand create(String connectionId, UserProfile profile, CommandOrigin origin) {
        return new UserCommand(UUID.randomUUID(), UserCommandType.CREATE, connectionId, null, profile, origin,
                Instant.now());
    }
}
