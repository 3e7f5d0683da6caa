package dev.scimsync.gateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimsync.contracts.GroupSnapshot;
import dev.scimsync.contracts.query.GroupPage;
import dev.scimsync.contracts.query.Keyset;
import dev.scimsync.contracts.query.ResourceQuery;
import dev.scimsync.gateway.groupsync.GroupSyncClient;
import dev.scimsync.gateway.scim.GroupRepresentations;
import dev.scimsync.gateway.scim.ListResponses;
import dev.scimsync.gateway.scim.PageCursors;
import dev.scimsync.gateway.scim.ScimEndpoints;
import dev.scimsync.gateway.scim.ScimSchemas;
import dev.scimsync.gateway.scim.filter.GroupFilterTranslator;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * List and search of Groups (RFC 7644 section 3.4.2), run by group-sync-service. Members are loaded only
 * when the projection shows them: Entra ID's membership check ({@code excludedAttributes=members}) and
 * {@code attributes=displayName} never carry a group's members over the wire.
 */
@ApplicationScoped
public class GroupSearch {

    /** What a cursor of this search belongs to, beside the connection and the filter. */
    private static final String RESOURCE_TYPE = "Group";

    private final GroupSyncClient groupSync;
    private final PageCursors cursors;
    private final int maxResults;

    public GroupSearch(@RestClient GroupSyncClient groupSync, PageCursors cursors,
            @ConfigProperty(name = "scim.max-results") int maxResults) {
        this.groupSync = groupSync;
        this.cursors = cursors;
        this.maxResults = maxResults;
    }

    public Uni<Response> search(String connectionId, SearchRequest request, ScimEndpoints endpoints) {
        ResourceQuery firstPage = request.toQuery(GroupFilterTranslator::translate, GroupFilterTranslator::sortField,
                maxResults);
        ResourceQuery query = request.byCursor()
                ? cursors.position(request.cursor(), connectionId, RESOURCE_TYPE, firstPage) : firstPage;
        boolean members = request.projection().wants("members");
        return ServiceAnswers.reaching("group-sync-service", groupSync.queryGroups(connectionId, members, query))
                .map(answer -> {
                    GroupPage page = ServiceAnswers.page(answer, GroupPage.class, "groups");
                    List<ObjectNode> resources = page.groups().stream()
                            .map(entry -> GroupRepresentations.render(entry.group(), entry.members(), endpoints,
                                    request.projection()))
                            .toList();
                    return Response.ok(request.byCursor()
                                    ? ListResponses.cursorPage(page.total(), resources,
                                            nextCursor(connectionId, query, page))
                                    : ListResponses.of(page.total(), query.startIndex(), resources))
                            .type(ScimSchemas.MEDIA_TYPE).build();
                });
    }

    /** None after the last page; a page of none (count 0) leaves the position where it was. */
    private String nextCursor(String connectionId, ResourceQuery query, GroupPage page) {
        if (!page.more()) {
            return null;
        }
        Keyset lastShown = query.after();
        if (!page.groups().isEmpty()) {
            GroupSnapshot last = page.groups().get(page.groups().size() - 1).group();
            lastShown = new Keyset(last.created(), UUID.fromString(last.id()));
        }
        return cursors.next(connectionId, RESOURCE_TYPE, query, lastShown);
    }
}
