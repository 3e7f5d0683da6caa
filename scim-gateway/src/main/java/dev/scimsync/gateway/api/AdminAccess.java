package dev.scimsync.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scimsync.contracts.internal.ConnectionSummary;
import dev.scimsync.contracts.internal.Problem;
import dev.scimsync.gateway.auth.AdminScope;
import dev.scimsync.gateway.membership.MembershipClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Applies {@link AdminScope} to one admin call, for the admin API proxy and the console: reads what the rule needs
 * from the call's body (the organizations a connection create or change names, the connection a migration adopts
 * from) and looks a connection's organizations up in membership-service when the rule asks. Answers the rule's
 * final word: allowed (with the query to send on) or refused.
 */
@ApplicationScoped
public class AdminAccess {

    private static final Logger LOG = Logger.getLogger(AdminAccess.class);
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(5);

    private final MembershipClient membership;
    private final ObjectMapper json;

    public AdminAccess(@RestClient MembershipClient membership, ObjectMapper json) {
        this.membership = membership;
        this.json = json;
    }

    /** The decision for a call whose body is raw bytes (the admin API's). */
    public Uni<AdminScope.Decision> check(AdminScope scope, String method, String rawPath, String rawQuery,
            byte[] body) {
        if (scope.isOperator()) {
            return Uni.createFrom().item(scope.decide(method, rawPath, rawQuery, null));
        }
        JsonNode parsed;
        try {
            parsed = body == null || body.length == 0 ? null : json.readTree(body);
        } catch (IOException e) {
            parsed = null;
        }
        return check(scope, method, rawPath, rawQuery, parsed);
    }

    /** The decision for a call whose body is a JSON tree, or null for none (the console's). */
    public Uni<AdminScope.Decision> check(AdminScope scope, String method, String rawPath, String rawQuery,
            JsonNode body) {
        JsonNode fromNode = body == null ? null : body.get("from");
        if (fromNode != null && !fromNode.isNull() && !fromNode.isTextual()) {
            // A number or true is a name to the owner (Jackson reads it as text) but none to the check below:
            // {"from": 2024} would adopt from a shared connection named 2024 unchecked.
            return Uni.createFrom().item(new AdminScope.Refused(400, "'from' must be a connection's name (a string)"));
        }
        String from = fromNode == null || fromNode.isNull() ? null : fromNode.asText();
        return resolved(scope, scope.decide(method, rawPath, rawQuery, organizationsNamed(body)))
                .chain(decision -> decision instanceof AdminScope.Allowed allowed
                        ? resolved(scope, scope.adoptingFrom(method, rawPath, from, allowed))
                        : Uni.createFrom().item(decision));
    }

    /** The decision itself, or for a {@link AdminScope.ConnectionToCheck} the one its lookup makes. */
    private Uni<AdminScope.Decision> resolved(AdminScope scope, AdminScope.Decision decision) {
        if (!(decision instanceof AdminScope.ConnectionToCheck connection)) {
            return Uni.createFrom().item(decision);
        }
        return Uni.createFrom().deferred(() -> membership.connection(connection.connection()))
                .ifNoItem().after(LOOKUP_TIMEOUT).fail()
                .map(answer -> answer.getStatus() == 200
                        ? scope.connectionFound(connection,
                                answer.readEntity(ConnectionSummary.class).organizations())
                        : answer.getStatus() == 404 ? scope.connectionFound(connection, null)
                        : unavailable(connection, "membership-service answered " + answer.getStatus()))
                .onFailure().recoverWithItem(failure -> unavailable(connection, failure.toString()));
    }

    /** A refusal as the admin API answers it: its status, {@code {"status":...,"detail":...}}. */
    public static Response refusal(AdminScope.Refused refused) {
        return Response.status(refused.status()).type(MediaType.APPLICATION_JSON)
                .entity(new Problem(refused.status(), refused.detail())).build();
    }

    /**
     * The organizations a connection body names ({@code organizations}, {@code defaultOrganization}); null when
     * the body is not a JSON object, or names them in a shape the rule cannot read (so it is refused, not guessed).
     */
    static Set<String> organizationsNamed(JsonNode body) {
        if (body == null || !body.isObject()) {
            return null;
        }
        Set<String> named = new HashSet<>();
        JsonNode organizations = body.path("organizations");
        if (organizations.isArray()) {
            for (JsonNode organization : organizations) {
                if (!organization.isTextual()) {
                    return null;
                }
                named.add(organization.asText());
            }
        } else if (!organizations.isMissingNode() && !organizations.isNull()) {
            return null;
        }
        JsonNode defaultOrganization = body.path("defaultOrganization");
        if (defaultOrganization.isTextual()) {
            named.add(defaultOrganization.asText());
        } else if (!defaultOrganization.isMissingNode() && !defaultOrganization.isNull()) {
            return null;
        }
        return named;
    }

    private static AdminScope.Refused unavailable(AdminScope.ConnectionToCheck connection, String why) {
        LOG.warnf("admin access: could not look connection '%s' up: %s", connection.connection(), why);
        return new AdminScope.Refused(503, "could not check connection '" + connection.connection()
                + "' right now; retry shortly");
    }
}
