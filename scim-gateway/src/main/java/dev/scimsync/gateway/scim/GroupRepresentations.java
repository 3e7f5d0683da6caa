package dev.scimsync.gateway.scim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimsync.contracts.GroupMember;
import dev.scimsync.contracts.GroupSnapshot;
import dev.scimsync.gateway.scim.schema.GroupSchemas;
import java.util.List;

/** Renders a stored group as a SCIM Group resource (RFC 7643 section 4.2) with its {@code meta}. */
public final class GroupRepresentations {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private GroupRepresentations() {
    }

    public static String etag(GroupSnapshot group) {
        return ETags.of(group.version());
    }

    /**
     * @param members the group's members, or null when they were not loaded (the projection leaves them out);
     *                no members render no {@code members} attribute
     */
    public static ObjectNode render(GroupSnapshot group, List<GroupMember> members, ScimEndpoints endpoints,
            Projection projection) {
        ObjectNode resource = JSON.objectNode();
        resource.putArray("schemas").add(GroupSchemas.CORE);
        resource.put("id", group.id());
        if (group.externalId() != null) {
            resource.put("externalId", group.externalId());
        }
        resource.put("displayName", group.displayName());
        if (members != null && !members.isEmpty()) {
            ArrayNode rendered = resource.putArray("members");
            for (GroupMember member : members) {
                ObjectNode element = rendered.addObject().put("value", member.value());
                if (member.display() != null) {
                    element.put("display", member.display());
                }
                element.put("$ref", endpoints.user(member.value()).toString()).put("type", "User");
            }
        }
        ObjectNode meta = resource.putObject("meta");
        meta.put("resourceType", "Group");
        meta.put("created", group.created().toString());
        meta.put("lastModified", group.lastModified().toString());
        meta.put("location", endpoints.group(group.id()).toString());
        meta.put("version", etag(group));
        return projection.apply(resource);
    }
}
