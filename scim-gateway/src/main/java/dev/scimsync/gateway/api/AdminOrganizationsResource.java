package dev.scimsync.gateway.api;

import dev.scimsync.gateway.membership.MembershipClient;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** Admin API (ADMIN_BASE_URL): organizations, answered by membership-service. */
@Path("/admin/v1/organizations")
@Produces(MediaType.APPLICATION_JSON)
public class AdminOrganizationsResource {

    private final MembershipClient membership;

    public AdminOrganizationsResource(@RestClient MembershipClient membership) {
        this.membership = membership;
    }

    @GET
    @Path("/{name}")
    public Uni<Response> get(@PathParam("name") String name) {
        return membership.organization(name).map(answer -> switch (answer.getStatus()) {
            case 200 -> Response.ok(answer.readEntity(String.class)).type(MediaType.APPLICATION_JSON).build();
            case 404 -> Response.status(404).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("status", 404, "detail", "organization '" + name + "' not found")).build();
            default -> Response.status(503).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("status", 503, "detail", "membership-service answered " + answer.getStatus())).build();
        });
    }
}
