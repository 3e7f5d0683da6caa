package dev.scimsync.gateway.scim;

import dev.scimsync.gateway.scim.schema.ResourceType;
import java.util.regex.Pattern;

/**
 * The id of a User or Group as a request names it (its path, or a bulk operation's). Every id this service issues
 * is a UUID, so anything else names no resource: it is answered {@code 404} here, before a call or a command
 * carries it further. A command naming a user by an id PostgreSQL cannot hold (a NUL in it) once failed to apply
 * and failed again to be rejected, and stopped every command behind it on its partition.
 */
public final class ResourceIds {

    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** How much of an id that is not one the 404's detail repeats. */
    private static final int SHOWN = 64;

    private ResourceIds() {
    }

    /** {@code id}, or {@code 404} when it cannot be the id of a {@code type}. */
    public static String existing(String id, ResourceType type) {
        if (id == null || !UUID.matcher(id).matches()) {
            String shown = id == null ? "" : id.length() > SHOWN ? id.substring(0, SHOWN) + "..." : id;
            throw ScimException.notFound(type.name() + " " + shown + " not found");
        }
        return id;
    }
}
