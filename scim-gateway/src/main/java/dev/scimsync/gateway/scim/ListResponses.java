package dev.scimsync.gateway.scim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The ListResponse message (RFC 7644 section 3.4.2) around one page of resources. */
public final class ListResponses {

    public static final String LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

    private ListResponses() {
    }

    public static ObjectNode of(long totalResults, int startIndex, List<ObjectNode> resources) {
        ObjectNode list = JsonNodeFactory.instance.objectNode();
        list.putArray("schemas").add(LIST_RESPONSE);
        list.put("totalResults", totalResults);
        list.put("startIndex", startIndex);
        list.put("itemsPerPage", resources.size());
        ArrayNode array = list.putArray("Resources");
        resources.forEach(array::add);
        return list;
    }

    /**
     * A page of cursor paging (RFC 9865 section 2): no {@code startIndex}, and {@code nextCursor} unless it is the
     * last page (null). No {@code previousCursor}: the RFC makes it optional, and IdPs walk forward.
     */
    public static ObjectNode cursorPage(long totalResults, List<ObjectNode> resources, String nextCursor) {
        ObjectNode list = JsonNodeFactory.instance.objectNode();
        list.putArray("schemas").add(LIST_RESPONSE);
        list.put("totalResults", totalResults);
        list.put("itemsPerPage", resources.size());
        if (nextCursor != null) {
            list.put("nextCursor", nextCursor);
        }
        ArrayNode array = list.putArray("Resources");
        resources.forEach(array::add);
        return list;
    }
}
