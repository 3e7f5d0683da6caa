package dev.scimsync.audit.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The one text a JSON value hashes as: object keys sorted, no insignificant whitespace, numbers as
 * written. Two documents that mean the same (keys in another order, as PostgreSQL's jsonb returns them)
 * give the same text, so a chain computed at write time verifies after a round trip through the database.
 */
public final class CanonicalJson {

    private CanonicalJson() {
    }

    public static String of(JsonNode value) {
        return sorted(value).toString();
    }

    private static JsonNode sorted(JsonNode value) {
        if (value.isObject()) {
            List<String> names = new ArrayList<>();
            value.fieldNames().forEachRemaining(names::add);
            Collections.sort(names);
            ObjectNode sorted = JsonNodeFactory.instance.objectNode();
            for (String name : names) {
                sorted.set(name, sorted(value.get(name)));
            }
            return sorted;
        }
        if (value.isArray()) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            value.forEach(element -> array.add(sorted(element)));
            return array;
        }
        return value;
    }
}
