package dev.scimsync.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
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
 * @param refusedAlongside what of the IdP's request the gateway refused, for a replace that carries only the
 *                        deactivation the request also stated ({@link #deactivationAlone}); null otherwise (and for a
 *                        command of a producer older than this field)
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
        boolean activeAsRead,
        // Left out of the JSON when null: every other command stays as long as before.
        @JsonInclude(JsonInclude.Include.NON_NULL) CommandFailure refusedAlongside) {

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
        if (refusedAlongside != null && (type != UserCommandType.REPLACE || activeAsRead || profile.active())) {
            throw new IllegalArgumentException("only a deactivation is applied alone");
        }
    }

    public static UserCommand create(String connectionId, UserProfile profile, CommandOrigin origin) {
        return new UserCommand(UUID.randomUUID(), UserCommandType.CREATE, connectionId, null, profile, null, origin,
                Instant.now(), false, null);
    }

    public static UserCommand replace(String connectionId, String userId, UserProfile profile, Long expectedVersion,
            CommandOrigin origin) {
        return new UserCommand(UUID.randomUUID(), UserCommandType.REPLACE, connectionId, userId, profile,
                expectedVersion, origin, Instant.now(), false, null);
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
                expectedVersion, origin, Instant.now(), true, null);
    }

    public static UserCommand delete(String connectionId, String userId, Long expectedVersion, CommandOrigin origin) {
        return new UserCommand(UUID.randomUUID(), UserCommandType.DELETE, connectionId, userId, null, expectedVersion,
                origin, Instant.now(), false, null);
    }

    /**
     * The same change as a command of its own - a new id, issued now, without a version condition - as an admin's
     * approval applies a change the mass-deprovisioning guard held (the held command was answered already). What it
     * carries is kept, the refusal of a deactivation sent alone included.
     */
    public UserCommand reissued() {
        return new UserCommand(UUID.randomUUID(), type, connectionId, userId, profile, null, origin, Instant.now(),
                false, refusedAlongside);
    }

    /**
     * The deactivation an IdP's request stated beside a value the gateway refused (one over its length limit, of the
     * wrong type): the user's profile as it is, with {@code active: false}. The person loses access while the IdP's
     * mapping is wrong, instead of keeping it until someone fixes the mapping; membership-service lists the refusal
     * among the connection's provisioning errors when it applies the deactivation.
     */
    public static UserCommand deactivationAlone(String connectionId, String userId, UserProfile current,
            long expectedVersion, CommandOrigin origin, CommandFailure refused) {
        Objects.requireNonNull(refused, "refused");
        return new UserCommand(UUID.randomUUID(), UserCommandType.REPLACE, connectionId, userId,
                current.withActive(false), expectedVersion, origin, Instant.now(), false, refused);
    }
}
