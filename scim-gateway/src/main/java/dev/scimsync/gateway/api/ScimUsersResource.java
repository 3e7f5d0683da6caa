package dev.scimsync.gateway.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scimsync.contracts.CommandOrigin;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.contracts.UserSnapshot;
import dev.scimsync.gateway.auth.ScimCaller;
import dev.scimsync.gateway.membership.MembershipClient;
import dev.scimsync.gateway.messaging.CommandDispatcher;
import dev.scimsync.gateway.scim.OutcomeErrors;
import dev.scimsync.gateway.scim.ScimException;
import dev.scimsync.gateway.scim.ScimSchemas;
import dev.scimsync.gateway.scim.UserRequests;
import dev.scimsync.gateway.scim.UserResources;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * SCIM Users (RFC 7644 section 3): writes become commands for membership-service and are answered with
 * their committed outcome; reads are answered by membership-service.
 */
@Path("/scim/v2/Users")
@Produces({ScimSchemas.MEDIA_TYPE, MediaType.APPLICATION_JSON})
public class ScimUsersResource {

    private final ScimCaller caller;
    private final CommandDispatcher dispatcher;
    private final MembershipClient membership;
    private final UserRequests requests;
    private final UserResources resources;

    public ScimUsersResource(ScimCaller caller, CommandDispatcher dispatcher, @RestClient MembershipClient membership,
            ObjectMapper mapper) {
        this.caller = caller;
        this.dispatcher = dispatcher;
        this.membership = membership;
        this.requests = new UserRequests(mapper);
        this.resources = new UserResources(mapper);
    }

    @POST
    @Consumes({ScimSchemas.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public Uni<Response> create(byte[] body, @Context UriInfo uri, @Context HttpHeaders headers,
            @Context HttpServerRequest http) {
        UserCommand command = UserCommand.create(caller.connectionId(), requests.parseCreate(body), origin(headers, http));
        return dispatcher.dispatch(command).map(outcome -> {
            UserSnapshot user = applied(outcome);
            URI users = usersEndpoint(uri);
            return Response.created(UserResources.location(users, user))
                    .header(HttpHeaders.ETAG, UserResources.etag(user))
                    .type(ScimSchemas.MEDIA_TYPE)
                    .entity(resources.render(user, users))
                    .build();
        });
    }

    @GET
    @Path("/{id}")
    public Uni<Response> get(@PathParam("id") String id, @Context UriInfo uri) {
        return membership.user(caller.connectionId(), id).map(answer -> {
            if (answer.getStatus() == 404) {
                throw ScimException.notFound("User " + id + " not found");
            }
            if (answer.getStatus() != 200) {
                throw ScimException.unavailable("the user could not be read right now", 5);
            }
            UserSnapshot user = answer.readEntity(UserSnapshot.class);
            return Response.ok(resources.render(user, usersEndpoint(uri)))
                    .header(HttpHeaders.ETAG, UserResources.etag(user))
                    .type(ScimSchemas.MEDIA_TYPE)
                    .build();
        });
    }

    private static UserSnapshot applied(CommandOutcome outcome) {
        if (outcome.status() == CommandOutcome.Status.REJECTED) {
            throw OutcomeErrors.toScim(outcome.failure());
        }
        return outcome.user();
    }

    private static URI usersEndpoint(UriInfo uri) {
        return uri.getBaseUriBuilder().path("scim/v2/Users").build();
    }

    private CommandOrigin origin(HttpHeaders headers, HttpServerRequest http) {
        String requestId = headers.getHeaderString("X-Request-Id");
        if (requestId == null) {
            requestId = headers.getHeaderString("client-request-id"); // Entra ID names its request id this way
        }
        return new CommandOrigin(caller.tokenId(), requestId,
                http.remoteAddress() == null ? null : http.remoteAddress().hostAddress(),
                headers.getHeaderString(HttpHeaders.USER_AGENT));
    }
}
