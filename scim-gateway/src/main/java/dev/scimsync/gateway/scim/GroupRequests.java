package dev.scimsync.gateway.scim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimsync.gateway.scim.schema.GroupSchemas;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a Group resource as IdPs send it (RFC 7643 section 4.2) for a create or a replace:
 * <ul>
 * <li>{@code schemas} must include the core Group URN when present; other URNs beside it (Entra ID sends
 * its own ADSchema URN) are accepted;</li>
 * <li>attribute names are case-insensitive and may carry the core Group URN;</li>
 * <li>{@code displayName} is required; {@code externalId} is kept as sent, {@code null} or {@code ""}
 * leaves it unset;</li>
 * <li>members are read by {@code value} only: {@code display}, {@code type} and {@code $ref} (Entra sends
 * {@code null}) are the server's to fill in and are ignored, as are {@code id}, {@code meta} and unknown
 * attributes.</li>
 * </ul>
 */
public final class GroupRequests {

    /** A group as a create or replace defines it. */
    public record Definition(String displayName, String externalId, List<String> memberIds) {
    }

    private static final String CORE_PREFIX = GroupSchemas.CORE.toLowerCase(Locale.ROOT) + ":";

    private final ScimLimits limits;

    public GroupRequests(ScimLimits limits) {
        this.limits = limits;
    }

    /** A POST or PUT body, as {@link RequestBodies} read it. */
    public Definition parse(JsonNode json) {
        if (!json.isObject()) {
            throw ScimException.invalidSyntax("the request body must be a JSON object (a SCIM Group resource)");
        }
        RequestBodies.requireCoreSchema(json, GroupSchemas.CORE);
        JsonNode displayName = null;
        JsonNode externalId = null;
        JsonNode members = null;
        for (Iterator<Map.Entry<String, JsonNode>> fields = json.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = withoutCoreUrn(field.getKey());
            if (name.equalsIgnoreCase("displayName")) {
                displayName = field.getValue();
            } else if (name.equalsIgnoreCase("externalId")) {
                externalId = field.getValue();
            } else if (name.equalsIgnoreCase("members")) {
                members = field.getValue();
            }
        }
        return new Definition(displayName(displayName), externalId(externalId), memberIds(members, "members"));
    }

    /** The attribute name of a key that may be qualified with the core Group URN. */
    public static String withoutCoreUrn(String key) {
        return key.toLowerCase(Locale.ROOT).startsWith(CORE_PREFIX) ? key.substring(CORE_PREFIX.length()) : key;
    }

    public String displayName(JsonNode value) {
        if (value == null || value.isNull() || (value.isTextual() && value.asText().isBlank())) {
            throw ScimException.invalidValue("'displayName' is required");
        }
        if (!value.isTextual()) {
            throw ScimException.invalidValue("'displayName' must be a non-empty string, got "
                    + ScimException.quote(value));
        }
        return ScimLimits.requireLength("displayName", value.asText(), limits.stringLength());
    }

    /** The external id, or null when the value clears it. */
    public String externalId(JsonNode value) {
        if (value == null || value.isNull() || (value.isTextual() && value.asText().isEmpty())) {
            return null;
        }
        if (!value.isTextual()) {
            throw ScimException.invalidValue("'externalId' must be a string, got " + ScimException.quote(value));
        }
        return ScimLimits.requireLength("externalId", value.asText(), limits.externalIdLength());
    }

    /**
     * The user ids of a {@code members} value: an array of member objects (or one object), each read by its
     * {@code value}; a bare string is taken as the id. Repeated ids count once. The ids are read in one pass
     * and never looked up here: whether they are users of the connection is group-sync-service's to say.
     * More than {@link ScimLimits#membersPerRequest()} entries are refused before any is read.
     *
     * @param path where the value was found, for error messages
     */
    public List<String> memberIds(JsonNode value, String path) {
        if (value == null || value.isNull()) {
            return List.of();
        }
        Set<String> ids = new LinkedHashSet<>();
        if (value.isArray()) {
            requireMembers(value.size());
            int index = 0;
            for (JsonNode member : value) {
                ids.add(memberId(member, path + "[" + index++ + "]"));
            }
        } else {
            ids.add(memberId(value, path));
        }
        return new ArrayList<>(ids);
    }

    /** {@code 400 invalidValue} when one request names more members than {@link ScimLimits#membersPerRequest()}. */
    public void requireMembers(int count) {
        if (count > limits.membersPerRequest()) {
            throw ScimException.invalidValue("the request names " + count + " members; at most "
                    + limits.membersPerRequest() + " are accepted per request (add more with further PATCH requests)");
        }
    }

    private String memberId(JsonNode member, String path) {
        JsonNode id = member.isObject() ? JsonFields.get(member, "value") : member;
        if (id == null || !id.isTextual() || id.asText().isBlank()) {
            throw ScimException.invalidValue("'" + path + ".value' must be the id of a User, got "
                    + (id == null ? "nothing" : ScimException.quote(id)));
        }
        return ScimLimits.requireLength(path + ".value", id.asText(), limits.memberIdLength());
    }
}
