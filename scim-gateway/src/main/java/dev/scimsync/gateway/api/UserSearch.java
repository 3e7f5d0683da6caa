package dev.scimsync.gateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimsync.contracts.GroupMember;
import dev.scimsync.contracts.UserSnapshot;
import dev.scimsync.contracts.internal.UserNameGroups;
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
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * List and search of Users (RFC 7644 section 3.4.2): the filter, sort and page travel to membership-service
 * as a {@link ResourceQuery} and run in its database - except the IdPs' {@code userName eq} lookup, which goes
 * with the lookups made beside it ({@link UserNameLookupCalls}); the page comes back as a SCIM ListResponse, with the
 * groups of all its users asked from group-sync-service in one call when the projection shows them (for a lookup
 * that is expected to find its user, by name and beside it: {@link #lookUp}). Paged by index, or by RFC 9865 cursor
 * ({@link PageCursors}).
 */
@ApplicationScoped
public class UserSearch implements ScimResourceEndpoints.Search {

    /** A page of users and the groups of those in any (by user id). */
    private record UsersWithGroups(UserPage page, Map<String, List<GroupMember>> groups) {
    }

    private final MembershipClient membership;
    private final UserNameLookupCalls lookups;
    private final UserGroups userGroups;
    private final SearchPages pages;
    private final int maxResults;
    /**
     * Whether each connection's latest lookup found its user: the guess by which a lookup asks for the groups beside
     * it. An initial sync's lookups find nobody, so they carry no second call; an IdP's later rounds find nearly
     * everyone, so each waits for one internal round trip instead of two in a row. One entry per connection.
     */
    private final Map<String, Boolean> latestLookupFound = new ConcurrentHashMap<>();

    public UserSearch(@RestClient MembershipClient membership, UserNameLookupCalls lookups, UserGroups userGroups,
            PageCursors cursors, @ConfigProperty(name = "scim.max-results") int maxResults) {
        this.membership = membership;
        this.lookups = lookups;
        this.userGroups = userGroups;
        this.pages = new SearchPages(cursors, "User");
        this.maxResults = maxResults;
    }

    /** When a {@code userName eq} lookup asks for the found user's groups. */
    enum LookupGuess {
        /** An IdP's lookup: beside it when the connection's latest IdP lookup found its user; this one is remembered. */
        LATEST_LOOKUP,
        /** Beside it; nothing remembered ({@link FoundUserWarmUp}'s, which must not steer the IdP's). */
        BESIDE,
        /** After it, by the found user's id; nothing remembered. */
        AFTER
    }

    @Override
    public Uni<Response> search(String connectionId, SearchRequest request, ScimEndpoints endpoints) {
        return search(connectionId, request, endpoints, LookupGuess.LATEST_LOOKUP);
    }

    Uni<Response> search(String connectionId, SearchRequest request, ScimEndpoints endpoints, LookupGuess guess) {
        ResourceQuery firstPage = request.toQuery(UserFilterTranslator::translate, UserFilterTranslator::sortField,
                maxResults);
        ResourceQuery query = pages.query(connectionId, request, firstPage);
        boolean showsGroups = request.projection().wants("groups");
        Uni<UsersWithGroups> read = UserNameLookupCalls.lookedUpUserName(query)
                .map(userName -> lookUp(connectionId, userName, showsGroups, guess))
                .orElseGet(() -> ServiceAnswers.reaching("membership-service", membership.queryUsers(connectionId, query))
                        .map(answer -> ServiceAnswers.page(answer, UserPage.class, "users"))
                        .chain(page -> userGroups.of(connectionId, showsGroups ? ids(page) : List.of())
                                .map(groups -> new UsersWithGroups(page, groups))));
        return read.map(found -> {
            UserPage page = found.page();
            List<ObjectNode> resources = page.users().stream()
                    .map(user -> UserRepresentations.render(user, found.groups().get(user.id()), endpoints,
                            request.projection()))
                    .toList();
            Optional<Keyset> lastShown = page.users().isEmpty() ? Optional.empty()
                    : Optional.of(keyOf(page.users().get(page.users().size() - 1)));
            return pages.listResponse(connectionId, request, query, page.total(), resources, page.more(), lastShown);
        });
    }

    /**
     * A {@code userName eq} lookup. When the connection's previous lookup found its user, the user's groups are asked
     * by name beside it, and kept if group-sync-service names the same user; otherwise, and when it names another or
     * none, they are asked by the found user's id after the lookup, as for any other page. Never beside it while
     * group-sync-service is slow to answer ({@link UserGroups#answersPromptly}): a guess must not add to its queue.
     */
    private Uni<UsersWithGroups> lookUp(String connectionId, String userName, boolean showsGroups, LookupGuess guess) {
        Uni<Optional<UserSnapshot>> lookup = lookups.find(connectionId, userName);
        boolean beside = (guess == LookupGuess.BESIDE
                || guess == LookupGuess.LATEST_LOOKUP && latestLookupFound.getOrDefault(connectionId, false))
                && userGroups.answersPromptly();
        if (guess == LookupGuess.LATEST_LOOKUP) {
            lookup = lookup.invoke(user -> remember(connectionId, user.isPresent()));
        }
        if (!showsGroups) {
            return lookup.map(user -> new UsersWithGroups(page(user), Map.of()));
        }
        if (!beside) {
            return lookup.chain(user -> userGroups.of(connectionId, user.map(UserSnapshot::id).stream().toList())
                    .map(groups -> new UsersWithGroups(page(user), groups)));
        }
        return Uni.combine().all().unis(lookup, userGroups.ofUserName(connectionId, userName)).asTuple()
                .chain(both -> {
                    Optional<UserSnapshot> user = both.getItem1();
                    if (user.isEmpty() || both.getItem2().isEmpty()) {
                        // Nobody found, or group-sync-service could not answer (logged): shown without groups.
                        return Uni.createFrom().item(new UsersWithGroups(page(user), Map.of()));
                    }
                    UserNameGroups named = both.getItem2().get();
                    String id = user.get().id();
                    if (id.equals(named.userId())) {
                        return Uni.createFrom().item(new UsersWithGroups(page(user), Map.of(id, named.groups())));
                    }
                    return userGroups.of(connectionId, List.of(id)).map(groups -> new UsersWithGroups(page(user), groups));
                });
    }

    /** A plain read first: the lookups of a sync, which find nobody, write nothing. */
    private void remember(String connectionId, boolean found) {
        if (latestLookupFound.getOrDefault(connectionId, false) != found) {
            latestLookupFound.put(connectionId, found);
        }
    }

    private static UserPage page(Optional<UserSnapshot> user) {
        return new UserPage(user.isPresent() ? 1 : 0, user.stream().toList(), false);
    }

    private static List<String> ids(UserPage page) {
        return page.users().stream().map(UserSnapshot::id).toList();
    }

    private static Keyset keyOf(UserSnapshot user) {
        return new Keyset(user.created(), UUID.fromString(user.id()));
    }
}
