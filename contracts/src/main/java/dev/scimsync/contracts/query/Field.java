package dev.scimsync.contracts.query;

import java.util.List;
import java.util.Objects;

/**
 * Where a value lives in a stored user or group, and how to compare it.
 *
 * @param source    a column of the user ({@link Source#USER_NAME} ...), a path into the stored attributes
 *                  document, or a path into the current array element of an {@link Criterion.AnyElement}
 * @param path      the keys below the attributes document or the element; empty for columns
 * @param type      how values compare
 * @param caseExact whether string comparison respects case
 */
public record Field(Source source, List<String> path, ValueType type, boolean caseExact) {

    public enum Source {
        ID, USER_NAME, EXTERNAL_ID, ACTIVE, CREATED, LAST_MODIFIED, ATTRIBUTES, ELEMENT,
        /** A group's display name. */
        DISPLAY_NAME,
        /** The id of one of a group's members (only {@code eq}: "has this member"). */
        MEMBER
    }

    public enum ValueType {
        STRING, BOOLEAN, NUMBER, INSTANT
    }

    public Field {
        Objects.requireNonNull(source);
        Objects.requireNonNull(type);
        path = List.copyOf(path);
        if (source == Source.ATTRIBUTES && path.isEmpty()) {
            throw new IllegalArgumentException("an attributes field needs a path");
        }
        if (source != Source.ATTRIBUTES && source != Source.ELEMENT && !path.isEmpty()) {
            throw new IllegalArgumentException("a " + source + " column takes no path");
        }
    }

    public static Field column(Source source, ValueType type, boolean caseExact) {
        return new Field(source, List.of(), type, caseExact);
    }

    public static Field attribute(List<String> path, ValueType type, boolean caseExact) {
        return new Field(Source.ATTRIBUTES, path, type, caseExact);
    }

    /** A path in the current array element; an empty path is the element itself (simple multi-valued). */
    public static Field element(List<String> path, ValueType type, boolean caseExact) {
        return new Field(Source.ELEMENT, path, type, caseExact);
    }
}
