package dev.scimsync.gateway.auth;

import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Optional;
import org.jboss.logging.MDC;

/**
 * The admin behind the current request (admin API or console) and where it came from, for the audit record of
 * what it changes. Captured when the request is authenticated, so it can be read after the request's context
 * is gone (when the owning service has answered).
 */
@RequestScoped
public class AdminCaller {

    private static final int USER_AGENT_LENGTH = 512;

    /** Which door the admin came through. */
    public enum Via {
        API, CONSOLE
    }

    /** Who (its name and what it may reach), through which door, from where. */
    public record Origin(String admin, AdminScope scope, Via via, String clientAddress, String userAgent,
            String requestId) {
    }

    private Origin origin;

    /**
     * This request's instance itself rather than the client proxy, taken while the request's context is active: an
     * admin token membership-service checks is answered on the REST client's thread, where the request context
     * active, if any, is whatever context propagation restored there (see {@link ScimCaller#ofThisRequest()}).
     */
    AdminCaller ofThisRequest() {
        return this;
    }

    public void authenticated(AdminTokens.Admin admin, Via via, HttpServerRequest http) {
        String userAgent = http.getHeader(HttpHeaders.USER_AGENT);
        Object requestId = MDC.get("requestId");
        this.origin = new Origin(admin.name(), admin.scope(), via,
                http.remoteAddress() == null ? null : http.remoteAddress().hostAddress(),
                userAgent == null || userAgent.length() <= USER_AGENT_LENGTH ? userAgent
                        : userAgent.substring(0, USER_AGENT_LENGTH),
                requestId == null ? null : requestId.toString());
    }

    /** Empty outside an authenticated admin or console request. */
    public Optional<Origin> origin() {
        return Optional.ofNullable(origin);
    }
}
