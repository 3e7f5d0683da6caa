package dev.scimsync.gateway.scim;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimsync.contracts.UserSnapshot;
import dev.scimsync.gateway.scim.schema.UserSchemas;
import java.net.URI;
import java.util.Optional;

/** Renders a stored user as a SCIM User resource (RFC 7643 section 4.1) with its {@code meta}. */
public final class UserResources {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private UserResources() {
    }

    /** The weak ETag of a version, used for {@code meta.version} and the {@code ETag} header alike. */
    public static String etag(UserSnapshot user) {
        return "W/\"" + user.version() + "\"";
    }

    /**
     * The version an {@code If-Match} / {@code If-None-Match} header names: empty for {@code *} (any
     * version) or no header; a header that names no version of ours yields -1, which matches nothing.
     */
    public static Optional<Long> version(String header) {
        if (header == null || header.isBlank() || header.trim().equals("*")) {
            return Optional.empty();
        }
        String tag = header.split(",")[0].trim();
        if (tag.startsWith("W/")) {
            tag = tag.substring(2);
        }
        tag = tag.replace("\"", "");
        try {
            return Optional.of(Long.parseLong(tag));
        } catch (NumberFormatException e) {
            return Optional.of(-1L);
        }
    }

    public static URI location(URI usersEndpoint, UserSnapshot user) {
        return URI.create(usersEndpoint.toString().replaceAll("/$", "") + "/" + user.id());
    }

    /** The user's canonical document: what PATCH works on and what PUT replaces. */
    public static ObjectNode document(UserSnapshot user) {
        ObjectNode document = JSON.objectNode();
        document.put("userName", user.profile().userName());
        if (user.profile().externalId() != null) {
            document.put("externalId", user.profile().externalId());
        }
        document.put("active", user.profile().active());
        document.setAll(user.profile().attributes().deepCopy());
        return document;
    }

    public static ObjectNode render(UserSnapshot user, URI usersEndpoint, Projection projection) {
        ObjectNode resource = JSON.objectNode();
        resource.putArray("schemas").add(UserSchemas.CORE);
        resource.put("id", user.id());
        resource.setAll(document(user));
        ObjectNode meta = resource.putObject("meta");
        meta.put("resourceType", "User");
        meta.put("created", user.created().toString());
        meta.put("lastModified", user.lastModified().toString());
        meta.put("location", location(usersEndpoint, user).toString());
        meta.put("version", etag(user));
        return projection.apply(resource);
    }
}
