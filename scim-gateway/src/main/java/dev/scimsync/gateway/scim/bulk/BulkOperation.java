package dev.scimsync.gateway.scim.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimsync.gateway.scim.ETags;
import dev.scimsync.gateway.scim.JsonFields;
import dev.scimsync.gateway.scim.ScimException;
import dev.scimsync.gateway.scim.schema.ResourceType;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One entry of a Bulk request's {@code Operations} (RFC 7644 section 3.7): which single-resource request it stands
 * for. A malformed entry is {@code 400} for that operation alone: {@code invalidSyntax} when it is not an object,
 * {@code invalidValue} for a missing or wrong attribute. The {@code data} itself is read later, by the code of the
 * endpoint the operation stands for, exactly as that endpoint reads its body.
 *
 * @param bulkId  the client's name for the resource a POST creates (other methods may carry one too, and have it
 *                echoed in their result)
 * @param ifMatch the version the resource must be at, from {@code version} (an ETag, as {@code If-Match} takes)
 * @param id      the resource's id from {@code path}, possibly a {@code bulkId:} reference ({@link BulkIds}); null
 *                for a POST
 * @param data    the body the single-resource request would carry; null for a DELETE
 */
public record BulkOperation(Method method, String bulkId, Optional<Long> ifMatch, ResourceType type, String id,
        JsonNode data) {

    /**
     * What an id in a path may be: characters a URI path segment holds as they are (RFC 3986 section 3.3). The ids
     * of this server are UUIDs, and a result's {@code location} is built from the id.
     */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._~:@!$&'()*+,;=-]+");

    public enum Method {
        POST, PUT, PATCH, DELETE
    }

    public static BulkOperation parse(JsonNode operation) {
        if (!operation.isObject()) {
            throw ScimException.invalidSyntax("an operation must be an object with 'method', 'path' and 'data'");
        }
        Method method = method(JsonFields.get(operation, "method"));
        String bulkId = text(operation, "bulkId");
        if (method == Method.POST && bulkId == null) {
            // Section 3.7: REQUIRED for POST, the only way the client can tell which resource the POST created.
            throw ScimException.invalidValue("'bulkId' is required for a POST operation");
        }
        String path = text(operation, "path");
        if (path == null) {
            throw ScimException.invalidValue("'path' is required: /Users or /Groups for a POST, "
                    + "/Users/{id} or /Groups/{id} otherwise");
        }
        int slash = path.indexOf('/', 1);
        ResourceType type = type(path, slash < 0 ? path : path.substring(0, slash));
        String id = slash < 0 ? null : path.substring(slash + 1);
        if (method == Method.POST ? id != null : id == null || !ID.matcher(id).matches()) {
            throw ScimException.invalidValue("'path' of a " + method + " must be " + (method == Method.POST
                    ? type.endpoint() : type.endpoint() + "/{id}") + ", got " + ScimException.quote(path));
        }
        JsonNode data = JsonFields.get(operation, "data");
        if (method != Method.DELETE && (data == null || data.isNull())) {
            throw ScimException.invalidValue("'data' is required for a " + method + " operation");
        }
        String version = text(operation, "version");
        return new BulkOperation(method, bulkId, version == null ? Optional.empty() : ETags.version(version), type, id,
                method == Method.DELETE ? null : data);
    }

    /** The operation with its references replaced by what they name. */
    BulkOperation resolved(String resolvedId, JsonNode resolvedData) {
        return new BulkOperation(method, bulkId, ifMatch, type, resolvedId, resolvedData);
    }

    private static Method method(JsonNode value) {
        if (value != null && value.isTextual()) {
            try {
                return Method.valueOf(value.asText().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException unknown) {
                // answered below, like a missing method
            }
        }
        throw ScimException.invalidValue("'method' must be POST, PUT, PATCH or DELETE, got "
                + (value == null ? "nothing" : ScimException.quote(value)));
    }

    /** Endpoint names are case-insensitive here as in request URLs. */
    private static ResourceType type(String path, String endpoint) {
        for (ResourceType type : ResourceType.ALL) {
            if (type.endpoint().equalsIgnoreCase(endpoint)) {
                return type;
            }
        }
        throw ScimException.invalidValue("'path' must name /Users or /Groups, got " + ScimException.quote(path));
    }

    private static String text(JsonNode operation, String name) {
        JsonNode value = JsonFields.get(operation, name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ScimException.invalidValue("'" + name + "' must be a string, got " + ScimException.quote(value));
        }
        return value.asText();
    }
}
