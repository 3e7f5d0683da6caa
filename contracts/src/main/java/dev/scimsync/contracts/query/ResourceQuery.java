package dev.scimsync.contracts.query;

/**
 * A page of a connection's users or groups.
 *
 * @param filter     null for all of them
 * @param sortBy     null for the stable default order (creation, then id)
 * @param startIndex 1-based, as in SCIM
 * @param count      page size; 0 asks for the total only
 */
public record ResourceQuery(Criterion filter, Field sortBy, boolean descending, int startIndex, int count) {

    public ResourceQuery {
        if (startIndex < 1) {
            throw new IllegalArgumentException("startIndex starts at 1");
        }
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative");
        }
    }
}
