package dev.scimsync.gateway.scim;

import io.smallrye.mutiny.CompositeException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves the gateway as a SCIM error body, whatever raised it. */
public class ScimExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ScimExceptionMappers.class);

    @ServerExceptionMapper
    public Response scim(ScimException error) {
        return ScimErrorResponses.of(error);
    }

    /** Mutiny joins failures of combined operations; answer for the first one. */
    @ServerExceptionMapper
    public Response composite(CompositeException error) {
        Throwable first = error.getCauses().get(0);
        if (first instanceof ScimException scim) {
            return scim(scim);
        }
        if (first instanceof WebApplicationException web) {
            return framework(web);
        }
        return unexpected(first);
    }

    /** Unknown paths (404), wrong methods (405), unsupported media types (415) and the like. */
    @ServerExceptionMapper
    public Response framework(WebApplicationException error) {
        int status = error.getResponse().getStatus();
        String detail = switch (status) {
            case 404 -> "no such resource or endpoint";
            case 405 -> "method not allowed on this endpoint";
            case 406 -> "only application/scim+json and application/json responses are available";
            case 415 -> "send the body as application/scim+json or application/json";
            default -> error.getMessage();
        };
        return ScimErrorResponses.of(new ScimException(status, null, detail));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable error) {
        LOG.error("unexpected failure", error);
        return ScimErrorResponses.of(new ScimException(500, null, "internal error; it has been logged"));
    }
}
