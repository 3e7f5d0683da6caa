package dev.scimsync.gateway.api;

import dev.scimsync.gateway.scim.ScimErrorResponses;
import dev.scimsync.gateway.scim.ScimException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Bodies over the advertised size answer 413 with a SCIM error, before anything reads them. */
public class BodySizeFilter {

    private final long maxBodyBytes;

    public BodySizeFilter(@ConfigProperty(name = "scim.max-body-bytes") long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    @ServerRequestFilter(preMatching = true)
    public Response limit(ContainerRequestContext request) {
        if (request.getLength() > maxBodyBytes && request.getUriInfo().getPath().startsWith("/scim/")) {
            return ScimErrorResponses.of(ScimException.tooLarge("the request body is " + request.getLength()
                    + " bytes; at most " + maxBodyBytes + " are accepted"));
        }
        return null;
    }
}
