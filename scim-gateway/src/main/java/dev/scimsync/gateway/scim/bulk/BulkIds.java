package dev.scimsync.gateway.scim.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.scimsync.gateway.scim.ScimException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code bulkId}s of one Bulk request (RFC 7644 section 3.7.2). A POST declares its bulkId; once it has created
 * its resource, later operations name that resource {@code "bulkId:<bulkId>"}: as the id in their path, or as a whole
 * string value anywhere in their data (a Group's {@code members[].value}, a PATCH value, an enterprise
 * {@code manager.value}).
 * <p>
 * Operations run in the order sent, so a reference resolves only to a POST before it that succeeded. Any other
 * reference - to a later or a failed POST, to a bulkId no POST declared, to the operation's own - fails its operation
 * with {@code 409 Conflict}: RFC 7644 section 3.7.1 answers so for cross-references the server does not resolve, and
 * defines no {@code scimType} for it.
 */
public final class BulkIds {

    private static final String REFERENCE = "bulkId:";

    /** By bulkId: the id its POST created; empty while that POST runs, and after it failed. */
    private final Map<String, Optional<String>> declared = new HashMap<>();

    /** A POST's bulkId, unique within the request (section 3.7): a repeated one is {@code 400 invalidValue}. */
    public void declare(String bulkId) {
        if (declared.containsKey(bulkId)) {
            throw ScimException.invalidValue("bulkId '" + ScimException.quote(bulkId)
                    + "' is already used by an earlier operation; a bulkId names one resource of the request");
        }
        declared.put(bulkId, Optional.empty());
    }

    public void created(String bulkId, String id) {
        declared.put(bulkId, Optional.of(id));
    }

    /** The operation with the references in its path and data replaced by the ids they name. */
    public BulkOperation resolve(BulkOperation operation) {
        String id = operation.id() == null ? null : resolve(operation.id());
        return operation.resolved(id, operation.data() == null ? null : resolveIn(operation.data().deepCopy()));
    }

    private JsonNode resolveIn(JsonNode node) {
        if (node.isTextual()) {
            return new TextNode(resolve(node.asText()));
        }
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                field.setValue(resolveIn(field.getValue()));
            }
        } else if (node instanceof ArrayNode array) {
            for (int index = 0; index < array.size(); index++) {
                array.set(index, resolveIn(array.get(index)));
            }
        }
        return node;
    }

    private String resolve(String value) {
        if (!value.startsWith(REFERENCE)) {
            return value;
        }
        String bulkId = value.substring(REFERENCE.length());
        Optional<String> id = declared.get(bulkId);
        if (id == null) {
            throw unresolved(value, "no earlier POST of this request has that bulkId (operations are applied in the "
                    + "order sent)");
        }
        return id.orElseThrow(() -> unresolved(value, "the POST of that bulkId created nothing"));
    }

    private static ScimException unresolved(String reference, String why) {
        return new ScimException(409, null, "'" + ScimException.quote(reference) + "' cannot be resolved: " + why);
    }
}
