package dev.scimsync.gateway.scim.patch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimsync.gateway.scim.JsonFields;
import dev.scimsync.gateway.scim.ScimException;
import dev.scimsync.gateway.scim.schema.ResourceType;
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

    /** One operation of the request's {@code Operations}, the {@code index}-th; see {@link PatchRequest#parse}. */
    static PatchOperation parse(JsonNode operation, int index, ResourceType type) {
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
