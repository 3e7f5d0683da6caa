package dev.scimsync.gateway.api;

import dev.scimsync.contracts.CommandOrigin;
import dev.scimsync.gateway.auth.ScimCaller;
import dev.scimsync.gateway.scim.ETags;
import dev.scimsync.gateway.scim.ScimEndpoints;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** What the SCIM resource classes read from the HTTP request alike. */
final class ScimRequests {

    private static final int USER_AGENT_LENGTH = 512;

    private ScimRequests() {
    }

    /** The endpoints as this request reached them, for {@code meta.location} and {@code $ref}. */
    static ScimEndpoints endpoints(UriInfo uri) {
        return new ScimEndpoints(uri.getBaseUriBuilder().path("scim/v2").build());
    }

    /** The version {@code If-Match} names, which a write must find the resource at. */
    /**
     * The {@code cursor} query parameter (RFC 9865 section 2): null when absent (index paging), empty when sent
     * without a value - the RFC's first page, {@code ?cursor&count=10}, which {@code @QueryParam} reads as absent.
     */
    static String cursor(UriInfo uri) {
        String query = uri.getRequestUri().getRawQuery();
        if (query == null) {
            return null;
        }
        for (String parameter : query.split("&")) {
            int equals = parameter.indexOf('=');
            String name = equals < 0 ? parameter : parameter.substring(0, equals);
            if (URLDecoder.decode(name, StandardCharsets.UTF_8).equals("cursor")) {
                return equals < 0 ? "" : URLDecoder.decode(parameter.substring(equals + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    static Optional<Long> ifMatch(HttpHeaders headers) {
        return ETags.version(headers.getHeaderString(HttpHeaders.IF_MATCH));
    }

    static Optional<Long> ifNoneMatch(HttpHeaders headers) {
        return ETags.version(headers.getHeaderString(HttpHeaders.IF_NONE_MATCH));
    }

    /**
     * Who sent the command, for the audit log. The user agent is kept up to {@link #USER_AGENT_LENGTH}
     * characters: real ones are shorter, and a command need not carry a header of 20 KB.
     */
    static CommandOrigin origin(ScimCaller caller, HttpHeaders headers, HttpServerRequest http) {
        // The IdP's request id, as RequestIdFilter found (or made) it.
        Object requestId = org.jboss.logging.MDC.get("requestId");
        String userAgent = headers.getHeaderString(HttpHeaders.USER_AGENT);
        return new CommandOrigin(caller.tokenId(), requestId == null ? null : requestId.toString(),
                http.remoteAddress() == null ? null : http.remoteAddress().hostAddress(),
                userAgent == null || userAgent.length() <= USER_AGENT_LENGTH ? userAgent
                        : userAgent.substring(0, USER_AGENT_LENGTH));
    }
}
