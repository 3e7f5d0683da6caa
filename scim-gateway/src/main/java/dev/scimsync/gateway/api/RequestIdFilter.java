package dev.scimsync.gateway.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.UUID;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Every request carries the IdP's request id (X-Request-Id, or Entra ID's client-request-id; one is made
 * up when neither is sent): on every log line of the request (MDC {@code requestId}) and on the answer.
 */
public class RequestIdFilter {

    static final String HEADER = "X-Request-Id";
    private static final String PROPERTY = "scim.request-id";

    @ServerRequestFilter(preMatching = true)
    public void tag(ContainerRequestContext request) {
        String requestId = request.getHeaderString(HEADER);
        if (requestId == null || requestId.isBlank()) {
            requestId = request.getHeaderString("client-request-id");
        }
        if (requestId == null || requestId.isBlank() || requestId.length() > 200) {
            requestId = UUID.randomUUID().toString();
        }
        request.setProperty(PROPERTY, requestId);
        MDC.put("requestId", requestId);
    }

    @ServerResponseFilter
    public void answer(ContainerRequestContext request, ContainerResponseContext response) {
        Object requestId = request.getProperty(PROPERTY);
        if (requestId != null) {
            response.getHeaders().putSingle(HEADER, requestId);
        }
    }
}
