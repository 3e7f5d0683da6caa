package dev.scimsync.gateway.scim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimsync.contracts.GroupMember;
import dev.scimsync.contracts.UserSnapshot;
import dev.scimsync.gateway.scim.schema.UserSchemas;
import java.net.URI;
import java.util.List;

/** Renders a stored user as a SCIM User resource (RFC 7643 section 4.1) with its {@code meta}. */
public final class UserRepresentations {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private UserRepresentations() {
    }

    /** The weak ETag of the user's version, used for {@code meta.version} and the {@code ETag} header alike. */
    public static String etag(UserSnapshot user) {
        return ETags.of(user.version());
    }

    public static URI location(ScimEndpoints endpoints, UserSnapshot user) {
        return endpoints.user(user.id());
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

    /**
     * @param groups the groups the user is a direct member of ({@code value} = group id, {@code display} =
     *               its displayName); null or empty renders no {@code groups} attribute
     */
    public static ObjectNode render(UserSnapshot user, List<GroupMember> groups, ScimEndpoints endpoints,
            Projection projection) {
        ObjectNode resource = JSON.objectNode();
        resource.putArray("schemas").add(UserSchemas.CORE);
        resource.put("id", user.id());
        resource.setAll(document(user));
        if (groups != null && !groups.isEmpty()) {
            ArrayNode rendered = resource.putArray("groups");
            for (GroupMember group : groups) {
                ObjectNode element = rendered.addObject().put("value", group.value());
                if (group.display() != null) {
                    element.put("display", group.display());
                }
                element.put("$ref", endpoints.group(group.value()).toString()).put("type", "direct");
            }
        }
        ObjectNode meta = resource.putObject("meta");
        meta.put("resourceType", "User");
        meta.put("created", user.created().toString());
        meta.put("lastModified", user.lastModified().toString());
        meta.put("location", location(endpoints, user).toString());
        meta.put("version", etag(user));
        return projection.apply(resource);
    }
}
