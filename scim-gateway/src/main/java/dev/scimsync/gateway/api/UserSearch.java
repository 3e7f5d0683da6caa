package dev.scimsync.gateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimsync.contracts.UserSnapshot;
import dev.scimsync.contracts.query.Keyset;
import dev.scimsync.contracts.query.ResourceQuery;
import dev.scimsync.contracts.query.UserPage;
import dev.scimsync.gateway.groupsync.UserGroups;
import dev.scimsync.gateway.membership.MembershipClient;
import dev.scimsync.gateway.scim.PageCursors;
import dev.scimsync.gateway.scim.ScimEndpoints;
import dev.scimsync.gateway.scim.UserRepresentations;
import dev.scimsync.gateway.scim.filter.UserFilterTranslator;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * List and search of Users (RFC 7644 section 3.4.2): the filter, sort and page travel to membership-service
 * as a {@link ResourceQuery} and run in its database - except the IdPs' {@code userName eq} lookup, which goes
 * with the lookups made beside it ({@link UserNameLookupCalls}); the page comes back as a SCIM ListResponse, with the
 * groups of all its users asked from group-sync-service in one call when the projection shows them. Paged by
 * index, or by RFC 9865 cursor ({@link PageCursors}).
 */
@ApplicationScoped
public class UserSearch implements ScimResourceEndpoints.Search {

    private final MembershipClient membership;
    private final UserNameLookupCalls lookups;
    private final UserGroups userGroups;
    private final SearchPages pages;
    private final int maxResults;

    public UserSearch(@RestClient MembershipClient membership, UserNameLookupCalls lookups, UserGroups userGroups,
            PageCursors cursors, @ConfigProperty(name = "scim.max-results") int maxResults) {
        this.membership = membership;
        this.lookups = lookups;
        this.userGroups = userGroups;
        this.pages = new SearchPages(cursors, "User");
        this.maxResults = maxResults;
    }

    @Override
    public Uni<Response> search(String connectionId, SearchRequest request, ScimEndpoints endpoints) {
        ResourceQuery firstPage = request.toQuery(UserFilterTranslator::translate, UserFilterTranslator::sortField,
                maxResults);
        ResourceQuery query = pages.query(connectionId, request, firstPage);
        Uni<UserPage> read = UserNameLookupCalls.lookedUpUserName(query)
                .map(userName -> lookups.find(connectionId, userName).map(user -> new UserPage(user.isPresent() ? 1 : 0,
                        user.stream().toList(), false)))
                .orElseGet(() -> ServiceAnswers.reaching("membership-service", membership.queryUsers(connectionId, query))
                        .map(answer -> ServiceAnswers.page(answer, UserPage.class, "users")));
        return read.chain(page -> {
            List<String> ids = request.projection().wants("groups")
                    ? page.users().stream().map(UserSnapshot::id).toList() : List.of();
            return userGroups.of(connectionId, ids).map(groups -> {
                List<ObjectNode> resources = page.users().stream()
                        .map(user -> UserRepresentations.render(user, groups.get(user.id()), endpoints,
                                request.projection()))
                        .toList();
                Optional<Keyset> lastShown = page.users().isEmpty() ? Optional.empty()
                        : Optional.of(keyOf(page.users().get(page.users().size() - 1)));
                return pages.listResponse(connectionId, request, query, page.total(), resources, page.more(),
                        lastShown);
            });
        });
    }

    private static Keyset keyOf(UserSnapshot user) {
        return new Keyset(user.created(), UUID.fromString(user.id()));
    }
}
