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
        return answer(error);
    }

    /** Unknown paths (404), wrong methods (405), unsupported media types (415) and the like. */
    @ServerExceptionMapper
    public Response framework(WebApplicationException error) {
        return answer(error);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable error) {
        return answer(error);
    }

    /**
     * The SCIM error for any failure: the answer to a request, or to one operation of a Bulk request. What is not a
     * SCIM or HTTP error is a bug: logged, and answered 500 without its details.
     */
    public static Response answer(Throwable error) {
        Throwable failure = error instanceof CompositeException composite ? composite.getCauses().get(0) : error;
        if (failure instanceof ScimException scim) {
            return ScimErrorResponses.of(scim);
        }
        if (failure instanceof WebApplicationException web) {
            int status = web.getResponse().getStatus();
            String detail = switch (status) {
                case 404 -> "no such resource or endpoint";
                case 405 -> "method not allowed on this endpoint";
                case 406 -> "only application/scim+json and application/json responses are available";
                case 415 -> "send the body as application/scim+json or application/json";
                default -> web.getMessage();
            };
            return ScimErrorResponses.of(new ScimException(status, null, detail));
        }
        LOG.error("unexpected failure", failure);
        return ScimErrorResponses.of(new ScimException(500, null, "internal error; it has been logged"));
    }
}
