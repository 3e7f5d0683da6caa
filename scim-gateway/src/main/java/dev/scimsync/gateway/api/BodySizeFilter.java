package dev.scimsync.gateway.api;

import dev.scimsync.gateway.scim.ScimErrorResponses;
import dev.scimsync.gateway.scim.ScimLimits;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Bodies over the advertised size answer 413 with a SCIM error, before anything reads them, when their length
 * is sent; a chunked body is measured once read ({@link dev.scimsync.gateway.scim.RequestBodies}).
 */
public class BodySizeFilter {

    private final int maxBodyBytes;

    public BodySizeFilter(ScimLimits limits) {
        this.maxBodyBytes = limits.bodyBytes();
    }

    @ServerRequestFilter(preMatching = true)
    public Response limit(ContainerRequestContext request) {
        if (request.getLength() > maxBodyBytes && request.getUriInfo().getPath().startsWith("/scim/")) {
            return ScimErrorResponses.of(ScimLimits.bodyTooLarge(request.getLength(), maxBodyBytes));
        }
        return null;
    }
}
