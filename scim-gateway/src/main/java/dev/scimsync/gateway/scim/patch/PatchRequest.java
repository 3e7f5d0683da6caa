package dev.scimsync.gateway.scim.patch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimsync.gateway.scim.JsonFields;
import dev.scimsync.gateway.scim.ScimException;
import dev.scimsync.gateway.scim.ScimLimits;
import dev.scimsync.gateway.scim.UnknownAttributes;
import dev.scimsync.gateway.scim.schema.ResourceType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The body of a PATCH request (RFC 7644 section 3.5.2): its operations, and what it names that the resource type's
 * schemas do not define.
 *
 * @param operations the operations to apply, in order; an operation whose path the schemas do not define is not
 *                   among them ({@link PatchPath.Undefined})
 * @param unknown    those paths, and the unknown keys of path-less values (which the patchers skip), for the admin
 */
public record PatchRequest(List<PatchOperation> operations, List<UnknownAttributes.Found> unknown) {

    /**
     * Reads the body, resolving paths against the resource type's schemas; every operation is checked before any
     * is applied.
     *
     * @param maxOperations the most operations one request may carry ({@code scim.limits.patch-operations})
     */
    public static PatchRequest parse(JsonNode body, ResourceType type, int maxOperations) {
        if (!body.isObject()) {
            throw ScimException.invalidSyntax("a PATCH body is an object with 'Operations'");
        }
        JsonNode schemas = JsonFields.get(body, "schemas");
        if (schemas != null && schemas.isArray()) {
            boolean patchOp = false;
            for (JsonNode schema : schemas) {
                patchOp |= schema.asText().equalsIgnoreCase(PatchOperation.PATCH_OP);
            }
            if (!patchOp) {
                throw ScimException.invalidValue("'schemas' must be [\"" + PatchOperation.PATCH_OP + "\"]");
            }
        }
        JsonNode operations = JsonFields.get(body, "Operations");
        if (operations == null || !operations.isArray() || operations.isEmpty()) {
            throw ScimException.invalidValue("'Operations' must be a non-empty array");
        }
        ScimLimits.requireEntries("Operations", operations.size(), maxOperations);
        List<PatchOperation> parsed = new ArrayList<>();
        Set<UnknownAttributes.Found> unknown = new LinkedHashSet<>();
        int index = 0;
        for (JsonNode operation : operations) {
            try {
                PatchOperation read = PatchOperation.parse(operation, index, type);
                parsed.add(read);
                if (read.path() == null) {
                    unknown.addAll(UnknownAttributes.in(type, read.value()));
                }
            } catch (PatchPath.Undefined undefined) {
                unknown.add(undefined.found());
            }
            index++;
        }
        return new PatchRequest(List.copyOf(parsed), List.copyOf(unknown));
    }
}
