package dev.scimsync.gateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimsync.contracts.query.Keyset;
import dev.scimsync.contracts.query.ResourceQuery;
import dev.scimsync.gateway.scim.ListResponses;
import dev.scimsync.gateway.scim.PageCursors;
import dev.scimsync.gateway.scim.ScimSchemas;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;

/**
 * The paging that the Users and Groups searches share: where a page starts (the request's index, or the
 * position its RFC 9865 cursor names) and the ListResponse it is answered with (by index, or with the cursor to
 * the next page). A cursor belongs to one connection, resource type and filter ({@link PageCursors}).
 */
final class SearchPages {

    private final PageCursors cursors;
    private final String resourceType;

    /** @param resourceType what a cursor of this search belongs to, beside the connection and the filter */
    SearchPages(PageCursors cursors, String resourceType) {
        this.cursors = cursors;
        this.resourceType = resourceType;
    }

    /** The query to run: {@code firstPage} when paged by index or on a cursor's first page, else the cursor's. */
    ResourceQuery query(String connectionId, SearchRequest request, ResourceQuery firstPage) {
        return request.byCursor() ? cursors.position(request.cursor(), connectionId, resourceType, firstPage)
                : firstPage;
    }

    /**
     * The SCIM ListResponse of a page of {@code query}.
     *
     * @param more       whether resources follow this page
     * @param lastShown  the key of the page's last resource; empty when the page holds none (count 0), which
     *                   leaves the position where it was
     */
    Response listResponse(String connectionId, SearchRequest request, ResourceQuery query, long total,
            List<ObjectNode> resources, boolean more, Optional<Keyset> lastShown) {
        return Response.ok(request.byCursor()
                        ? ListResponses.cursorPage(total, resources, nextCursor(connectionId, query, more, lastShown))
                        : ListResponses.of(total, query.startIndex(), resources))
                .type(ScimSchemas.MEDIA_TYPE).build();
    }

    /** None after the last page. */
    private String nextCursor(String connectionId, ResourceQuery query, boolean more, Optional<Keyset> lastShown) {
        if (!more) {
            return null;
        }
        return cursors.next(connectionId, resourceType, query, lastShown.orElse(query.after()));
    }
}
