package dev.scimsync.gateway.scim.patch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimsync.gateway.scim.JsonFields;
import dev.scimsync.gateway.scim.ScimException;
import dev.scimsync.gateway.scim.ScimLimits;
import dev.scimsync.gateway.scim.schema.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One operation of a PATCH request (RFC 7644 section 3.5.2). {@code op} is read case-insensitively
 * (Entra ID sends "Add", "Replace", "Remove").
 *
 * @param path  null for a path-less add or replace
 * @param value null for remove
 */
public record PatchOperation(Op op, PatchPath path, JsonNode value) {

    public enum Op {
        ADD, REPLACE, REMOVE
    }

    public static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    /**
     * Reads the body of a PATCH request, resolving paths against the resource type's schemas; every
     * operation is checked before any is applied.
     *
     * @param maxOperations the most operations one request may carry ({@code scim.limits.patch-operations})
     */
    public static List<PatchOperation> parseRequest(JsonNode body, ResourceType type, int maxOperations) {
        if (!body.isObject()) {
            throw ScimException.invalidSyntax("a PATCH body is an object with 'Operations'");
        }
        JsonNode schemas = JsonFields.get(body, "schemas");
        if (schemas != null && schemas.isArray()) {
            boolean patchOp = false;
            for (JsonNode schema : schemas) {
                patchOp |= schema.asText().equalsIgnoreCase(PATCH_OP);
            }
            if (!patchOp) {
                throw ScimException.invalidValue("'schemas' must be [\"" + PATCH_OP + "\"]");
            }
        }
        JsonNode operations = JsonFields.get(body, "Operations");
        if (operations == null || !operations.isArray() || operations.isEmpty()) {
            throw ScimException.invalidValue("'Operations' must be a non-empty array");
        }
        ScimLimits.requireEntries("Operations", operations.size(), maxOperations);
        List<PatchOperation> parsed = new ArrayList<>();
        int index = 0;
        for (JsonNode operation : operations) {
            parsed.add(parse(operation, index++, type));
        }
        return parsed;
    }

    private static PatchOperation parse(JsonNode operation, int index, ResourceType type) {
        String where = "Operations[" + index + "]";
        if (!operation.isObject()) {
            throw ScimException.invalidSyntax(where + " must be an object");
        }
        JsonNode opNode = JsonFields.get(operation, "op");
        if (opNode == null || !opNode.isTextual()) {
            throw ScimException.invalidSyntax(where + " needs an 'op' (add, replace or remove)");
        }
        Op op;
        try {
            op = Op.valueOf(opNode.asText().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ScimException.invalidSyntax(where + ": '" + opNode.asText() + "' is not add, replace or remove");
        }
        JsonNode pathNode = JsonFields.get(operation, "path");
        PatchPath path = pathNode == null || pathNode.isNull() || pathNode.asText().isBlank() ? null
                : PatchPath.parse(pathNode.asText(), type);
        JsonNode value = JsonFields.get(operation, "value");
        if (op == Op.REMOVE && path == null) {
            throw ScimException.noTarget(where + ": remove needs a 'path'");
        }
        if (op != Op.REMOVE && value == null) {
            throw ScimException.invalidValue(where + ": " + op.name().toLowerCase(Locale.ROOT) + " needs a 'value'");
        }
        if (op != Op.REMOVE && path == null && !value.isObject()) {
            throw ScimException.invalidValue(where + ": without a 'path', the 'value' must be an object of attributes");
        }
        return new PatchOperation(op, path, value);
    }
}
