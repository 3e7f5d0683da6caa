package dev.scimsync.gateway.scim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** What every SCIM request body goes through before it is read as a resource or a message. */
public final class RequestBodies {

    private RequestBodies() {
    }

    /** The body as JSON; anything else is {@code 400 invalidSyntax} with the line and column. */
    public static JsonNode readJson(ObjectMapper mapper, byte[] body) {
        if (body == null || body.length == 0) {
            throw ScimException.invalidSyntax("the request body is empty");
        }
        try {
            return mapper.readTree(body);
        } catch (JsonProcessingException e) {
            // Some failures (a document nested too deeply) have no location.
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw ScimException.invalidSyntax("the request body is not valid JSON: " + e.getOriginalMessage() + where);
        } catch (IOException e) {
            throw ScimException.invalidSyntax("the request body could not be read: " + e.getMessage());
        }
    }

    /**
     * {@code schemas} may be omitted (some IdPs do), but when present it must name the resource's core
     * schema; other URNs beside it (Entra ID adds its own to groups) are accepted.
     */
    public static void requireCoreSchema(JsonNode resource, String coreSchema) {
        JsonNode schemas = JsonFields.get(resource, "schemas");
        if (schemas == null || schemas.isNull()) {
            return;
        }
        if (!schemas.isArray()) {
            throw ScimException.invalidValue("'schemas' must be an array of schema URNs");
        }
        for (JsonNode schema : schemas) {
            if (schema.isTextual() && schema.asText().equalsIgnoreCase(coreSchema)) {
                return;
            }
        }
        throw ScimException.invalidValue("'schemas' must include " + coreSchema);
    }
}
