package dev.scimsync.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimsync.contracts.query.Criterion;
import dev.scimsync.contracts.query.Field;
import dev.scimsync.contracts.query.ResourceQuery;
import dev.scimsync.gateway.scim.JsonFields;
import dev.scimsync.gateway.scim.Projection;
import dev.scimsync.gateway.scim.ScimException;
import dev.scimsync.gateway.scim.filter.Filter;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A list or search (RFC 7644 sections 3.4.2 and 3.4.3) as the client wrote it, from query parameters or a
 * SearchRequest body, for any resource type.
 *
 * @param cursor null for index paging (the default); else RFC 9865 cursor paging, empty for the first page
 */
public record SearchRequest(String filter, Integer startIndex, Integer count, String sortBy, String sortOrder,
        Projection projection, String cursor) {

    /**
     * From a list's query parameters. {@code startIndex} and {@code count} are read here rather than as JAX-RS
     * integers, which answer a value that is no integer with 404 (the resource "not found"); an empty one is
     * absent, as IdPs that build their URLs from templates send it.
     */
    static SearchRequest fromQuery(String filter, String startIndex, String count, String sortBy, String sortOrder,
            Projection projection, String cursor) {
        return new SearchRequest(filter, queryNumber("startIndex", startIndex), queryNumber("count", count), sortBy,
                sortOrder, projection, cursor);
    }

    static SearchRequest fromBody(JsonNode body) {
        if (!body.isObject()) {
            throw ScimException.invalidSyntax("a SearchRequest body is a JSON object");
        }
        return new SearchRequest(text(body, "filter"), number(body, "startIndex"), number(body, "count"),
                text(body, "sortBy"), text(body, "sortOrder"),
                Projection.of(list(body, "attributes"), list(body, "excludedAttributes")), text(body, "cursor"));
    }

    boolean byCursor() {
        return cursor != null;
    }

    /**
     * The query for the owning service, with the resource type's filter and sort translation; with a cursor, the
     * query of the first page, which {@code PageCursors} positions. Paging as RFC 7644 section 3.4.2.4 and RFC 9865
     * section 2 say: startIndex below 1 is 1, a negative count is 0, and no page is larger than {@code maxResults}
     * (a larger count gets fewer results, as both RFCs allow, rather than {@code invalidCount}).
     */
    ResourceQuery toQuery(Function<Filter, Criterion> filterTranslator, Function<String, Field> sortField,
            int maxResults) {
        if (byCursor() && startIndex != null) {
            throw ScimException.invalidValue("cursor and startIndex ask for two kinds of paging: send one of them "
                    + "(RFC 9865 section 2.4)");
        }
        if (byCursor() && sortBy != null && !sortBy.isBlank()) {
            // A keyset walk needs a key that never changes: creation time and id, the default order.
            throw ScimException.invalidValue("cursor paging follows the default order (creation, then id) and "
                    + "cannot be combined with sortBy; use startIndex to page a sorted list");
        }
        Criterion criterion = filter == null || filter.isBlank() ? null : filterTranslator.apply(Filter.parse(filter));
        Field sortOn = sortBy == null || sortBy.isBlank() ? null : sortField.apply(sortBy);
        boolean descending = sortOrder != null && sortOrder.trim().equalsIgnoreCase("descending");
        if (sortOrder != null && !descending && !sortOrder.trim().equalsIgnoreCase("ascending")) {
            throw ScimException.invalidValue("sortOrder must be 'ascending' or 'descending'");
        }
        int first = startIndex == null || startIndex < 1 ? 1 : startIndex;
        int size = count == null ? maxResults : Math.max(0, Math.min(count, maxResults));
        return new ResourceQuery(criterion, sortOn, descending, first, size, null);
    }

    private static String text(JsonNode body, String name) {
        JsonNode value = JsonFields.get(body, name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ScimException.invalidValue("'" + name + "' must be a string");
        }
        return value.asText();
    }

    private static Integer number(JsonNode body, String name) {
        JsonNode value = JsonFields.get(body, name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber()) {
            throw ScimException.invalidValue("'" + name + "' must be an integer");
        }
        return clamped(value.bigIntegerValue());
    }

    private static Integer queryNumber(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return clamped(new BigInteger(value.strip()));
        } catch (NumberFormatException e) {
            throw ScimException.invalidValue("'" + name + "' must be an integer, got '" + value + "'");
        }
    }

    /** An integer past an int's range pages as the largest or smallest one would: no page, or every result. */
    private static int clamped(BigInteger value) {
        return value.max(BigInteger.valueOf(Integer.MIN_VALUE)).min(BigInteger.valueOf(Integer.MAX_VALUE)).intValue();
    }

    private static List<String> list(JsonNode body, String name) {
        JsonNode value = JsonFields.get(body, name);
        if (value == null || value.isNull()) {
            return null;
        }
        List<String> names = new ArrayList<>();
        if (value.isTextual()) {
            names.add(value.asText());
        } else if (value.isArray()) {
            value.forEach(item -> names.add(item.asText()));
        } else {
            throw ScimException.invalidValue("'" + name + "' must be an array of attribute names");
        }
        return names;
    }
}
