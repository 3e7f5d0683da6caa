package dev.scimsync.contracts.query;

/**
 * A page of a connection's users or groups: by index (RFC 7644 section 3.4.2.4) or by keyset (the RFC 9865
 * cursor pages).
 *
 * @param filter     null for all of them
 * @param sortBy     null for the stable default order (creation, then id)
 * @param startIndex 1-based, as in SCIM; 1 for a keyset page
 * @param count      page size; 0 asks for the total only
 * @param after      null for an index page and for the first keyset page; else the page starts after this key of
 *                   the default order (never with {@code sortBy})
 */
public record ResourceQuery(Criterion filter, Field sortBy, boolean descending, int startIndex, int count,
        Keyset after) {

    public ResourceQuery {
        if (startIndex < 1) {
            throw new IllegalArgumentException("startIndex starts at 1");
        }
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative");
        }
        if (after != null && (startIndex != 1 || sortBy != null)) {
            throw new IllegalArgumentException("a keyset page follows the default order from its key, not an index");
        }
    }
}
