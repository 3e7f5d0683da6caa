package dev.scimsync.gateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimsync.contracts.UserSnapshot;
import dev.scimsync.contracts.query.ResourceQuery;
import dev.scimsync.contracts.query.UserPage;
import dev.scimsync.gateway.groupsync.UserGroups;
import dev.scimsync.gateway.membership.MembershipClient;
import dev.scimsync.gateway.scim.ListResponses;
import dev.scimsync.gateway.scim.ScimEndpoints;
import dev.scimsync.gateway.scim.ScimSchemas;
import dev.scimsync.gateway.scim.UserResources;
import dev.scimsync.gateway.scim.filter.UserFilterTranslator;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * List and search of Users (RFC 7644 section 3.4.2): the filter, sort and page travel to membership-service
 * as a {@link ResourceQuery} and run in its database; the page comes back as a SCIM ListResponse, with the
 * groups of all its users asked from group-sync-service in one call when the projection shows them.
 */
@ApplicationScoped
public class UserSearch {

    private final MembershipClient membership;
    private final UserGroups userGroups;
    private final int maxResults;

    public UserSearch(@RestClient MembershipClient membership, UserGroups userGroups,
            @ConfigProperty(name = "scim.max-results") int maxResults) {
        this.membership = membership;
        this.userGroups = userGroups;
        this.maxResults = maxResults;
    }

    public Uni<Response> search(String connectionId, SearchRequest request, ScimEndpoints endpoints) {
        ResourceQuery query = request.toQuery(UserFilterTranslator::translate, UserFilterTranslator::sortField, maxResults);
        return ServiceAnswers.reaching("membership-service", membership.queryUsers(connectionId, query))
                .map(answer -> ServiceAnswers.page(answer, UserPage.class, "users"))
                .chain(page -> {
                    List<String> ids = request.projection().wants("groups")
                            ? page.users().stream().map(UserSnapshot::id).toList() : List.of();
                    return userGroups.of(connectionId, ids).map(groups -> {
                        List<ObjectNode> resources = page.users().stream()
                                .map(user -> UserResources.render(user, groups.get(user.id()), endpoints,
                                        request.projection()))
                                .toList();
                        return Response.ok(ListResponses.of(page.total(), query.startIndex(), resources))
                                .type(ScimSchemas.MEDIA_TYPE).build();
                    });
                });
    }
}
