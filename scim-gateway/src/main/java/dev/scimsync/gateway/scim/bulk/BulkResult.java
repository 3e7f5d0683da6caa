package dev.scimsync.gateway.scim.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimsync.gateway.scim.ScimSchemas;
import java.util.List;

/**
 * What one operation of a Bulk request answered, as a BulkResponse lists it (RFC 7644 section 3.7.3). Absent values
 * are left out: a failed POST has no {@code location}, a delete no {@code version}, a success no {@code response}.
 *
 * @param method   as the operation named it (upper case when it was a valid method)
 * @param version  the resource's ETag after the operation
 * @param location the resource's URL
 * @param status   the HTTP status the single-resource request would have answered; a string on the wire, as in
 *                 the RFC's examples
 * @param response the SCIM error, for a failure
 */
public record BulkResult(String method, String bulkId, String version, String location, int status,
        JsonNode response) {

    public boolean failed() {
        return status >= 400;
    }

    public static ObjectNode response(List<BulkResult> results) {
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.putArray("schemas").add(ScimSchemas.BULK_RESPONSE);
        ArrayNode operations = response.putArray("Operations");
        results.forEach(result -> operations.add(result.toJson()));
        return response;
    }

    ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        putIfPresent(json, "method", method);
        putIfPresent(json, "bulkId", bulkId);
        putIfPresent(json, "version", version);
        putIfPresent(json, "location", location);
        json.put("status", Integer.toString(status));
        if (response != null) {
            json.set("response", response);
        }
        return json;
    }

    private static void putIfPresent(ObjectNode json, String name, String value) {
        if (value != null) {
            json.put(name, value);
        }
    }
}
