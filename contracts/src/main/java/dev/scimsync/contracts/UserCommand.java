package dev.scimsync.contracts;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A write to one SCIM user, validated by the gateway, applied by membership-service exactly once
 * (idempotent by {@code commandId}).
 *
 * @param userId          the target user, null for {@link UserCommandType#CREATE}
 * @param profile         the user's attributes as validated by the gateway; membership-service stores them
 *                        without interpreting SCIM. Null for {@link UserCommandType#DELETE}.
 * @param expectedVersion apply only if the user is at this version (optimistic concurrency), or null
 * @param activeAsRead    the profile's {@code active} is the state the gateway read, not one the IdP stated (a PATCH
 *                        that does not touch it, a PUT that leaves it unassigned). False, the IdP's own statement,
 *                        for every other command and for a command of a producer older than this field
 */
public record UserCommand(
        UUID commandId,
        UserCommandType type,
        String connectionId,
        String userId,
        UserProfile profile,
        Long expectedVersion,
        CommandOrigin origin,
        Instant issuedAt,
        boolean activeAsRead) {

    public UserCommand {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(issuedAt, "issuedAt");
        if (type != UserCommandType.DELETE && profile == null) {
            throw new IllegalArgumentException("a " + type + " command needs a profile");
        }
        if (type != UserCommandType.CREATE && userId == null) {
            throw new IllegalArgumentException("a " + type + " command needs a user id");
        }
        if (activeAsRead && type != UserCommandType.REPLACE) {
            throw new IllegalArgumentException("only a replace carries an active it read");
        }
    }

    public static UserCommand create(String connectionId, UserProfile profile, CommandOrigin origin) {
        return new UserCommand(UUID.randomUUID(), UserCommandType.CREATE, connectionId, null, profile, null, origin,
                Instant.now(), false);
    }

    public static UserCommand replace(String connectionId, String userId, UserProfile profile, Long expectedVersion,
            CommandOrigin origin) {
        return new UserCommand(UUID.randomUUID(), UserCommandType.REPLACE, connectionId, userId, profile,
                expectedVersion, origin, Instant.now(), false);
    }

    /**
     * A replace of a user whose {@code active} the IdP did not state: the profile carries the state the gateway
     * read. membership-service applies the state the IdP last asked for instead where the two differ - a
     * deactivation the mass-deprovisioning guard holds leaves the user active until an admin decides, and the
     * IdP's later update of that user must not undo it.
     */
    public static UserCommand replaceKeepingState(String connectionId, String userId, UserProfile profile,
            Long expectedVersion, CommandOrigin origin) {
        return new UserCommand(UUID.randomUUID(), UserCommandType.REPLACE, connectionId, userId, profile,
                expectedVersion, origin, Instant.now(), true);
    }

    public static UserCommand delete(String connectionId, String userId, Long expectedVersion, CommandOrigin origin) {
        return new UserCommand(UUID.randomUUID(), UserCommandType.DELETE, connectionId, userId, null, expectedVersion,
                origin, Instant.now(), false);
    }
}
