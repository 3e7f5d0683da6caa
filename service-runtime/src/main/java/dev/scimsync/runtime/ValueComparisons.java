package dev.scimsync.runtime;

import java.util.UUID;
import java.util.function.Function;

/**
 * The comparisons of a SCIM filter (RFC 7644 section 3.4.2.2) that the owners' query builders read alike, whatever
 * their tables: {@code eq null} / {@code ne null}, and {@code eq} / {@code ne} of a resource's id.
 */
public final class ValueComparisons {

    private ValueComparisons() {
    }

    /** {@code eq null} asks for an absent value, {@code ne null} for a present one; {@code present} tests presence. */
    public static String withNull(boolean equal, String present) {
        return equal ? "not (" + present + ")" : present;
    }

    /**
     * An id compared by the key, as {@code GET /{id}} finds it: a UUID in any case, read by the primary key's index.
     * A value that is no UUID names no resource: {@code eq} holds for none, {@code ne} for all.
     *
     * @param placeholder the statement's placeholder for the UUID, which the builder adds to its parameters
     */
    public static String byKey(String keyColumn, boolean equal, Object value, Function<UUID, String> placeholder) {
        UUID id;
        try {
            id = UUID.fromString(String.valueOf(value));
        } catch (IllegalArgumentException notAnId) {
            return equal ? "false" : "true";
        }
        return keyColumn + (equal ? " = " : " <> ") + placeholder.apply(id);
    }
}
