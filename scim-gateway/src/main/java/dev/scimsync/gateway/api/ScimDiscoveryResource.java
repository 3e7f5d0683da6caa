package dev.scimsync.gateway.api;

import dev.scimsync.gateway.scim.Discovery;
import dev.scimsync.gateway.scim.PageCursors;
import dev.scimsync.gateway.scim.ScimException;
import dev.scimsync.gateway.scim.ScimLimits;
import dev.scimsync.gateway.scim.ScimSchemas;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Discovery (RFC 7644 section 4): what this server supports, for IdPs that ask. Authenticated like all SCIM calls. */
@Path("/scim/v2")
@Produces({ScimSchemas.MEDIA_TYPE, MediaType.APPLICATION_JSON})
public class ScimDiscoveryResource {

    private final int maxResults;
    private final int maxBodyBytes;
    private final int maxBulkOperations;
    private final Duration cursorTimeout;

    public ScimDiscoveryResource(@ConfigProperty(name = "scim.max-results") int maxResults, ScimLimits limits,
            PageCursors cursors) {
        this.maxResults = maxResults;
        this.maxBodyBytes = limits.bodyBytes();
        this.maxBulkOperations = limits.bulkOperations();
        this.cursorTimeout = cursors.timeout();
    }

    @GET
    @Path("/ServiceProviderConfig")
    public Response serviceProviderConfig(@jakarta.ws.rs.core.Context UriInfo uri) {
        return scim(Discovery.serviceProviderConfig(base(uri), maxResults, maxBodyBytes, maxBulkOperations,
                cursorTimeout));
    }

    @GET
    @Path("/ResourceTypes")
    public Response resourceTypes(@jakarta.ws.rs.core.Context UriInfo uri) {
        refuseFilter(uri, "ResourceTypes");
        return scim(Discovery.listResponse(Discovery.resourceTypes(base(uri))));
    }

    @GET
    @Path("/ResourceTypes/{name}")
    public Response resourceType(@PathParam("name") String name, @jakarta.ws.rs.core.Context UriInfo uri) {
        return Discovery.findResourceType(name).map(type -> scim(Discovery.resourceType(type, base(uri))))
                .orElseThrow(() -> ScimException.notFound("ResourceType " + name + " not found"));
    }

    @GET
    @Path("/Schemas")
    public Response schemas(@jakarta.ws.rs.core.Context UriInfo uri) {
        refuseFilter(uri, "Schemas");
        return scim(Discovery.listResponse(Discovery.schemas(base(uri))));
    }

    @GET
    @Path("/Schemas/{urn}")
    public Response schema(@PathParam("urn") String urn, @jakarta.ws.rs.core.Context UriInfo uri) {
        return Discovery.allSchemas().stream().filter(schema -> schema.is(urn)).findFirst()
                .map(schema -> scim(Discovery.schema(schema, base(uri))))
                .orElseThrow(() -> ScimException.notFound("Schema " + urn + " not found"));
    }

    /**
     * RFC 7644 section 4: discovery ignores query parameters, and answers a filter with 403 "to ensure that
     * clients cannot incorrectly assume that any matching conditions specified in a filter are true".
     */
    private static void refuseFilter(UriInfo uri, String endpoint) {
        if (uri.getQueryParameters().containsKey("filter")) {
            throw ScimException.forbidden("/" + endpoint + " is not filtered (RFC 7644 section 4): "
                    + "ask without filter for the whole list, or for one by its id: /" + endpoint + "/{id}");
        }
    }

    private static Response scim(Object body) {
        return Response.ok(body).type(ScimSchemas.MEDIA_TYPE).build();
    }

    private static String base(UriInfo uri) {
        return uri.getBaseUriBuilder().path("scim/v2").build().toString();
    }
}
