package dev.scimsync.gateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimsync.contracts.GroupSnapshot;
import dev.scimsync.contracts.query.GroupPage;
import dev.scimsync.contracts.query.Keyset;
import dev.scimsync.contracts.query.ResourceQuery;
import dev.scimsync.gateway.groupsync.GroupSyncClient;
import dev.scimsync.gateway.scim.GroupRepresentations;
import dev.scimsync.gateway.scim.PageCursors;
import dev.scimsync.gateway.scim.ScimEndpoints;
import dev.scimsync.gateway.scim.filter.GroupFilterTranslator;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * List and search of Groups (RFC 7644 section 3.4.2), run by group-sync-service. Members are loaded only
 * when the projection shows them: Entra ID's membership check ({@code excludedAttributes=members}) and
 * {@code attributes=displayName} never carry a group's members over the wire.
 */
@ApplicationScoped
public class GroupSearch implements ScimResourceEndpoints.Search {

    private final GroupSyncClient groupSync;
    private final SearchPages pages;
    private final int maxResults;

    public GroupSearch(@RestClient GroupSyncClient groupSync, PageCursors cursors,
            @ConfigProperty(name = "scim.max-results") int maxResults) {
        this.groupSync = groupSync;
        this.pages = new SearchPages(cursors, "Group");
        this.maxResults = maxResults;
    }

    @Override
    public Uni<Response> search(String connectionId, SearchRequest request, ScimEndpoints endpoints) {
        ResourceQuery firstPage = request.toQuery(GroupFilterTranslator::translate, GroupFilterTranslator::sortField,
                maxResults);
        ResourceQuery query = pages.query(connectionId, request, firstPage);
        boolean members = request.projection().wants("members");
        return ServiceAnswers.reaching("group-sync-service", groupSync.queryGroups(connectionId, members, query))
                .map(answer -> {
                    GroupPage page = ServiceAnswers.page(answer, GroupPage.class, "groups");
                    List<ObjectNode> resources = page.groups().stream()
                            .map(entry -> GroupRepresentations.render(entry.group(), entry.members(), endpoints,
                                    request.projection()))
                            .toList();
                    Optional<Keyset> lastShown = page.groups().isEmpty() ? Optional.empty()
                            : Optional.of(keyOf(page.groups().get(page.groups().size() - 1).group()));
                    return pages.listResponse(connectionId, request, query, page.total(), resources, page.more(),
                            lastShown);
                });
    }

    private static Keyset keyOf(GroupSnapshot group) {
        return new Keyset(group.created(), UUID.fromString(group.id()));
    }
}
