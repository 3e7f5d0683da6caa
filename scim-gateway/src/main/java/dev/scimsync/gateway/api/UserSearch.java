package dev.scimsync.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimsync.contracts.UserSnapshot;
import dev.scimsync.contracts.query.Criterion;
import dev.scimsync.contracts.query.Field;
import dev.scimsync.contracts.query.UserPage;
import dev.scimsync.contracts.query.UserQuery;
import dev.scimsync.gateway.membership.MembershipClient;
import dev.scimsync.gateway.scim.JsonFields;
import dev.scimsync.gateway.scim.Projection;
import dev.scimsync.gateway.scim.ScimException;
import dev.scimsync.gateway.scim.ScimSchemas;
import dev.scimsync.gateway.scim.UserResources;
import dev.scimsync.gateway.scim.filter.Filter;
import dev.scimsync.gateway.scim.filter.UserFilterTranslator;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * List and search (RFC 7644 section 3.4.2): the filter, sort and page travel to membership-service as a
 * {@link UserQuery} and run in its database; the page comes back as a SCIM ListResponse.
 */
@ApplicationScoped
public class UserSearch {

    public static final String LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
    public static final String SEARCH_REQUEST = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";

    /** The query as the client wrote it, from query parameters or a SearchRequest body. */
    public record Request(String filter, Integer startIndex, Integer count, String sortBy, String sortOrder,
            Projection projection) {

        static Request fromBody(JsonNode body) {
            if (!body.isObject()) {
                throw ScimException.invalidSyntax("a SearchRequest body is a JSON object");
            }
            return new Request(text(body, "filter"), number(body, "startIndex"), number(body, "count"),
                    text(body, "sortBy"), text(body, "sortOrder"),
                    Projection.of(list(body, "attributes"), list(body, "excludedAttributes")));
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
            if (!value.canConvertToInt()) {
                throw ScimException.invalidValue("'" + name + "' must be an integer");
            }
            return value.asInt();
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

    private final MembershipClient membership;
    private final int maxResults;

    public UserSearch(@RestClient MembershipClient membership, @ConfigProperty(name = "scim.max-results") int maxResults) {
        this.membership = membership;
        this.maxResults = maxResults;
    }

    public Uni<Response> search(String connectionId, Request request, URI usersEndpoint) {
        UserQuery query = query(request);
        return membership.queryUsers(connectionId, query).map(answer -> {
            if (answer.getStatus() == 400) {
                JsonNode problem = answer.readEntity(JsonNode.class);
                throw ScimException.invalidFilter("the filter cannot be evaluated: " + problem.path("detail").asText());
            }
            if (answer.getStatus() != 200) {
                throw ScimException.unavailable("users could not be listed right now", 5);
            }
            UserPage page = answer.readEntity(UserPage.class);
            ObjectNode list = JsonNodeFactory.instance.objectNode();
            list.putArray("schemas").add(LIST_RESPONSE);
            list.put("totalResults", page.total());
            list.put("startIndex", query.startIndex());
            list.put("itemsPerPage", page.users().size());
            ArrayNode resources = list.putArray("Resources");
            for (UserSnapshot user : page.users()) {
                resources.add(UserResources.render(user, usersEndpoint, request.projection()));
            }
            return Response.ok(list).type(ScimSchemas.MEDIA_TYPE).build();
        });
    }

    /** Paging as RFC 7644 section 3.4.2.4 says: startIndex below 1 is 1, a negative count is 0. */
    UserQuery query(Request request) {
        Criterion filter = request.filter() == null || request.filter().isBlank() ? null
                : UserFilterTranslator.translate(Filter.parse(request.filter()));
        Field sortBy = request.sortBy() == null || request.sortBy().isBlank() ? null
                : UserFilterTranslator.sortField(request.sortBy());
        boolean descending = request.sortOrder() != null && request.sortOrder().trim().equalsIgnoreCase("descending");
        if (request.sortOrder() != null && !descending && !request.sortOrder().trim().equalsIgnoreCase("ascending")) {
            throw ScimException.invalidValue("sortOrder must be 'ascending' or 'descending'");
        }
        int startIndex = request.startIndex() == null || request.startIndex() < 1 ? 1 : request.startIndex();
        int count = request.count() == null ? maxResults : Math.max(0, Math.min(request.count(), maxResults));
        return new UserQuery(filter, sortBy, descending, startIndex, count);
    }
}
