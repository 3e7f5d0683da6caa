package dev.scimsync.gateway.scim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimsync.contracts.UserSnapshot;
import java.net.URI;

/** Renders a stored user as a SCIM User resource (RFC 7643 section 4.1) with its {@code meta}. */
public final class UserResources {

    private final ObjectMapper mapper;

    public UserResources(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The weak ETag of a version, used for {@code meta.version} and the {@code ETag} header alike. */
    public static String etag(UserSnapshot user) {
        return "W/\"" + user.version() + "\"";
    }

    public static URI location(URI usersEndpoint, UserSnapshot user) {
        return URI.create(usersEndpoint.toString().replaceAll("/$", "") + "/" + user.id());
    }

    public ObjectNode render(UserSnapshot user, URI usersEndpoint) {
        ObjectNode resource = mapper.createObjectNode();
        ArrayNode schemas = resource.putArray("schemas").add(ScimSchemas.CORE_USER);
        resource.put("id", user.id());
        if (user.profile().externalId() != null) {
            resource.put("externalId", user.profile().externalId());
        }
        resource.put("userName", user.profile().userName());
        resource.put("active", user.profile().active());
        user.profile().attributes().fields().forEachRemaining(field -> {
            resource.set(field.getKey(), field.getValue());
            // An extension's attributes sit under its URN; the resource then declares that schema too.
            if (field.getKey().startsWith("urn:") && field.getValue().isObject()) {
                schemas.add(field.getKey());
            }
        });
        ObjectNode meta = resource.putObject("meta");
        meta.put("resourceType", "User");
        meta.put("created", user.created().toString());
        meta.put("lastModified", user.lastModified().toString());
        meta.put("location", location(usersEndpoint, user).toString());
        meta.put("version", etag(user));
        return resource;
    }
}
