package dev.scimsync.gateway.scim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimsync.contracts.UserProfile;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a User resource sent by an IdP (RFC 7643 section 4.1) into the profile that travels in the
 * command. Attributes the server assigns ({@code id}, {@code meta}) and read-only ones ({@code groups})
 * are ignored on input, as RFC 7643 section 2.2 says; {@code password} is write-only and never stored.
 */
public final class UserRequests {

    /** Not kept in the stored attributes: assigned by the server, carried separately, or never stored. */
    private static final Set<String> NOT_STORED = Set.of("id", "meta", "schemas", "username", "externalid", "active",
            "password", "groups");

    private final ObjectMapper mapper;

    public UserRequests(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public UserProfile parseCreate(byte[] body) {
        JsonNode json = readJson(body);
        if (!json.isObject()) {
            throw ScimException.invalidSyntax("the request body must be a JSON object (a SCIM User resource)");
        }
        requireUserSchema(json);
        String userName = requireUserName(json);
        ObjectNode attributes = mapper.createObjectNode();
        json.fields().forEachRemaining(field -> {
            if (!NOT_STORED.contains(field.getKey().toLowerCase(Locale.ROOT))) {
                attributes.set(field.getKey(), field.getValue());
            }
        });
        return new UserProfile(userName, optionalString(json, "externalId"), active(json), attributes);
    }

    private JsonNode readJson(byte[] body) {
        if (body == null || body.length == 0) {
            throw ScimException.invalidSyntax("the request body is empty; send a SCIM User resource");
        }
        try {
            return mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw ScimException.invalidSyntax("the request body is not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw ScimException.invalidSyntax("the request body could not be read: " + e.getMessage());
        }
    }

    /** {@code schemas} may be omitted (some IdPs do), but when present it must name the core User schema. */
    private static void requireUserSchema(JsonNode json) {
        JsonNode schemas = field(json, "schemas");
        if (schemas == null || schemas.isNull()) {
            return;
        }
        if (!schemas.isArray()) {
            throw ScimException.invalidValue("'schemas' must be an array of schema URNs");
        }
        for (JsonNode schema : schemas) {
            if (schema.isTextual() && schema.asText().equalsIgnoreCase(ScimSchemas.CORE_USER)) {
                return;
            }
        }
        throw ScimException.invalidValue("'schemas' must include " + ScimSchemas.CORE_USER);
    }

    private static String requireUserName(JsonNode json) {
        JsonNode userName = field(json, "userName");
        if (userName == null || userName.isNull()) {
            throw ScimException.invalidValue("'userName' is required");
        }
        if (!userName.isTextual() || userName.asText().isBlank()) {
            throw ScimException.invalidValue("'userName' must be a non-empty string");
        }
        return userName.asText().trim();
    }

    private static String optionalString(JsonNode json, String name) {
        JsonNode value = field(json, name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ScimException.invalidValue("'" + name + "' must be a string");
        }
        return value.asText().isEmpty() ? null : value.asText();
    }

    /** {@code active} defaults to true; Entra ID sends booleans as the strings "True" and "False". */
    private static boolean active(JsonNode json) {
        JsonNode active = field(json, "active");
        if (active == null || active.isNull()) {
            return true;
        }
        if (active.isBoolean()) {
            return active.booleanValue();
        }
        if (active.isTextual() && (active.asText().equalsIgnoreCase("true") || active.asText().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(active.asText().toLowerCase(Locale.ROOT));
        }
        throw ScimException.invalidValue("'active' must be a boolean");
    }

    /** Attribute names are case-insensitive (RFC 7643 section 2.1). */
    private static JsonNode field(JsonNode json, String name) {
        var fields = json.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            if (field.getKey().equalsIgnoreCase(name)) {
                return field.getValue();
            }
        }
        return null;
    }
}
