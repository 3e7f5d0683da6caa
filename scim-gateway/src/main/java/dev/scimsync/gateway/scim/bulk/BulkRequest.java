package dev.scimsync.gateway.scim.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimsync.gateway.scim.JsonFields;
import dev.scimsync.gateway.scim.RequestBodies;
import dev.scimsync.gateway.scim.ScimException;
import dev.scimsync.gateway.scim.ScimSchemas;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * A Bulk request's envelope (RFC 7644 section 3.7): its {@code Operations}, not read yet, and {@code failOnErrors}.
 * What is wrong with the envelope fails the whole request - {@code 400}, or {@code 413} for more operations than
 * {@code bulk.maxOperations} (section 3.7.4) - while what is wrong with one operation fails that operation only, when
 * its turn comes ({@link BulkOperation#parse}).
 *
 * @param failOnErrors how many failed operations end the request; empty: none does
 */
public record BulkRequest(List<JsonNode> operations, OptionalInt failOnErrors) {

    public BulkRequest {
        operations = List.copyOf(operations);
    }

    public static BulkRequest parse(JsonNode body, int maxOperations) {
        if (!body.isObject()) {
            throw ScimException.invalidSyntax("the request body must be a JSON object (a BulkRequest)");
        }
        RequestBodies.requireCoreSchema(body, ScimSchemas.BULK_REQUEST);
        JsonNode operations = JsonFields.get(body, "Operations");
        if (operations == null || !operations.isArray()) {
            throw ScimException.invalidValue("'Operations' must be an array of operations");
        }
        if (operations.size() > maxOperations) {
            // RFC 7644 section 3.7.4: 413, naming the limit exceeded.
            throw ScimException.tooLarge("the request has " + operations.size() + " operations; at most "
                    + maxOperations + " are accepted (bulk.maxOperations)");
        }
        List<JsonNode> entries = new ArrayList<>(operations.size());
        operations.forEach(entries::add);
        return new BulkRequest(entries, failOnErrors(JsonFields.get(body, "failOnErrors")));
    }

    private static OptionalInt failOnErrors(JsonNode value) {
        if (value == null || value.isNull()) {
            return OptionalInt.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 1) {
            throw ScimException.invalidValue("'failOnErrors' must be a positive integer, got "
                    + ScimException.quote(value));
        }
        return OptionalInt.of(value.intValue());
    }
}
