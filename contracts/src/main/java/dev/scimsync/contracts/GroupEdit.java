package dev.scimsync.contracts;

import java.util.List;
import java.util.Objects;

/**
 * One change to a group. Member edits carry user ids only, so a PATCH that adds ten thousand members
 * travels as ten thousand ids and is applied as one batch.
 *
 * @param value   the new display name or external id (null clears the external id)
 * @param members user ids, for member edits
 */
public record GroupEdit(Kind kind, String value, List<String> members) {

    public enum Kind {
        SET_DISPLAY_NAME, SET_EXTERNAL_ID, ADD_MEMBERS, REMOVE_MEMBERS, REPLACE_MEMBERS
    }

    public GroupEdit {
        Objects.requireNonNull(kind, "kind");
        members = members == null ? List.of() : List.copyOf(members);
        if (kind == Kind.SET_DISPLAY_NAME && (value == null || value.isBlank())) {
            throw new IllegalArgumentException("a display name must not be empty");
        }
    }

    public static GroupEdit displayName(String displayName) {
        return new GroupEdit(Kind.SET_DISPLAY_NAME, displayName, List.of());
    }

    public static GroupEdit externalId(String externalId) {
        return new GroupEdit(Kind.SET_EXTERNAL_ID, externalId, List.of());
    }

    public static GroupEdit addMembers(List<String> userIds) {
        return new GroupEdit(Kind.ADD_MEMBERS, null, userIds);
    }

    public static GroupEdit removeMembers(List<String> userIds) {
        return new GroupEdit(Kind.REMOVE_MEMBERS, null, userIds);
    }

    /** The members become exactly these; an empty list removes every member. */
    public static GroupEdit replaceMembers(List<String> userIds) {
        return new GroupEdit(Kind.REPLACE_MEMBERS, null, userIds);
    }
}
