package dev.scimsync.gateway.scim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;

/** Attribute names are case-insensitive (RFC 7643 section 2.1): looking them up in JSON sent or stored. */
public final class JsonFields {

    private JsonFields() {
    }

    /** The key as the object spells it, found without regard to case; null when there is none. */
    public static String key(JsonNode node, String name) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String key = names.next();
            if (key.equalsIgnoreCase(name)) {
                return key;
            }
        }
        return null;
    }

    /** The value under the name, found without regard to case; null when there is none. */
    public static JsonNode get(JsonNode node, String name) {
        String key = key(node, name);
        return key == null ? null : node.get(key);
    }
}
