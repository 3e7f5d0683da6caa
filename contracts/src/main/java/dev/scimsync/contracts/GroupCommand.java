package dev.scimsync.contracts;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A write to one SCIM group, validated by the gateway, applied by group-sync-service exactly once
 * (idempotent by {@code commandId}).
 *
 * @param groupId         the target group, null for {@link GroupCommandType#CREATE}
 * @param edits           applied in order; a create or replace starts from an empty group
 * @param expectedVersion apply only if the group is at this version (If-Match), or null
 */
public record GroupCommand(
        UUID commandId,
        GroupCommandType type,
        String connectionId,
        String groupId,
        List<GroupEdit> edits,
        Long expectedVersion,
        CommandOrigin origin,
        Instant issuedAt) {

    public GroupCommand {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(issuedAt, "issuedAt");
        edits = edits == null ? List.of() : List.copyOf(edits);
        if (type != GroupCommandType.CREATE && groupId == null) {
            throw new IllegalArgumentException("a " + type + " command needs a group id");
        }
        if ((type == GroupCommandType.CREATE || type == GroupCommandType.REPLACE)
                && edits.stream().noneMatch(e -> e.kind() == GroupEdit.Kind.SET_DISPLAY_NAME)) {
            throw new IllegalArgumentException("a " + type + " command needs a display name");
        }
    }

    public static GroupCommand create(String connectionId, String displayName, String externalId, List<String> members,
            CommandOrigin origin) {
        return new GroupCommand(UUID.randomUUID(), GroupCommandType.CREATE, connectionId, null,
                whole(displayName, externalId, members), null, origin, Instant.now());
    }

    public static GroupCommand replace(String connectionId, String groupId, String displayName, String externalId,
            List<String> members, Long expectedVersion, CommandOrigin origin) {
        return new GroupCommand(UUID.randomUUID(), GroupCommandType.REPLACE, connectionId, groupId,
                whole(displayName, externalId, members), expectedVersion, origin, Instant.now());
    }

    public static GroupCommand modify(String connectionId, String groupId, List<GroupEdit> edits, Long expectedVersion,
            CommandOrigin origin) {
        return new GroupCommand(UUID.randomUUID(), GroupCommandType.MODIFY, connectionId, groupId, edits,
                expectedVersion, origin, Instant.now());
    }

    public static GroupCommand delete(String connectionId, String groupId, Long expectedVersion, CommandOrigin origin) {
        return new GroupCommand(UUID.randomUUID(), GroupCommandType.DELETE, connectionId, groupId, List.of(),
                expectedVersion, origin, Instant.now());
    }

    private static List<GroupEdit> whole(String displayName, String externalId, List<String> members) {
        return List.of(GroupEdit.displayName(displayName), GroupEdit.externalId(externalId),
                GroupEdit.replaceMembers(members));
    }

    /** Every user id an add or replace edit would make a member; these must be users of the connection. */
    public List<String> joiningMembers() {
        return edits.stream()
                .filter(e -> e.kind() == GroupEdit.Kind.ADD_MEMBERS || e.kind() == GroupEdit.Kind.REPLACE_MEMBERS)
                .flatMap(e -> e.members().stream())
                .distinct()
                .toList();
    }
}
