package dev.scimsync.gateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimsync.contracts.UserSnapshot;
import dev.scimsync.contracts.query.Keyset;
import dev.scimsync.contracts.query.ResourceQuery;
import dev.scimsync.contracts.query.UserPage;
import dev.scimsync.gateway.groupsync.UserGroups;
import dev.scimsync.gateway.membership.MembershipClient;
import dev.scimsync.gateway.scim.ListResponses;
import dev.scimsync.gateway.scim.PageCursors;
import dev.scimsync.gateway.scim.ScimEndpoints;
import dev.scimsync.gateway.scim.ScimSchemas;
import dev.scimsync.gateway.scim.UserRepresentations;
import dev.scimsync.gateway.scim.filter.UserFilterTranslator;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * List and search of Users (RFC 7644 section 3.4.2): the filter, sort and page travel to membership-service
 * as a {@link ResourceQuery} and run in its database; the page comes back as a SCIM ListResponse, with the
 * groups of all its users asked from group-sync-service in one call when the projection shows them. Paged by
 * index, or by RFC 9865 cursor ({@link PageCursors}).
 */
@ApplicationScoped
public class UserSearch {

    /** What a cursor of this search belongs to, beside the connection and the filter. */
    private static final String RESOURCE_TYPE = "User";

    private final MembershipClient membership;
    private final UserGroups userGroups;
    private final PageCursors cursors;
    private final int maxResults;

    public UserSearch(@RestClient MembershipClient membership, UserGroups userGroups, PageCursors cursors,
            @ConfigProperty(name = "scim.max-results") int maxResults) {
        this.membership = membership;
        this.userGroups = userGroups;
        this.cursors = cursors;
        this.maxResults = maxResults;
    }

    public Uni<Response> search(String connectionId, SearchRequest request, ScimEndpoints endpoints) {
        ResourceQuery firstPage = request.toQuery(UserFilterTranslator::translate, UserFilterTranslator::sortField,
                maxResults);
        ResourceQuery query = request.byCursor()
                ? cursors.position(request.cursor(), connectionId, RESOURCE_TYPE, firstPage) : firstPage;
        return ServiceAnswers.reaching("membership-service", membership.queryUsers(connectionId, query))
                .map(answer -> ServiceAnswers.page(answer, UserPage.class, "users"))
                .chain(page -> {
                    List<String> ids = request.projection().wants("groups")
                            ? page.users().stream().map(UserSnapshot::id).toList() : List.of();
                    return userGroups.of(connectionId, ids).map(groups -> {
                        List<ObjectNode> resources = page.users().stream()
                                .map(user -> UserRepresentations.render(user, groups.get(user.id()), endpoints,
                                        request.projection()))
                                .toList();
                        return Response.ok(request.byCursor()
                                        ? ListResponses.cursorPage(page.total(), resources,
                                                nextCursor(connectionId, query, page))
                                        : ListResponses.of(page.total(), query.startIndex(), resources))
                                .type(ScimSchemas.MEDIA_TYPE).build();
                    });
                });
    }

    /** None after the last page; a page of none (count 0) leaves the position where it was. */
    private String nextCursor(String connectionId, ResourceQuery query, UserPage page) {
        if (!page.more()) {
            return null;
        }
        Keyset lastShown = page.users().isEmpty() ? query.after() : keyOf(page.users().get(page.users().size() - 1));
        return cursors.next(connectionId, RESOURCE_TYPE, query, lastShown);
    }

    private static Keyset keyOf(UserSnapshot user) {
        return new Keyset(user.created(), UUID.fromString(user.id()));
    }
}
