package dev.scimsync.gateway.console;

import dev.scimsync.gateway.auth.AdminCaller;
import dev.scimsync.gateway.auth.AdminTokens;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Every console page but sign-in needs a signed-in session; without one the browser is sent to sign in.
 * Console answers are never cached and may only load the console's own scripts and styles.
 */
public class ConsoleFilters {

    public static final String SESSION_COOKIE = "scimsync_console";

    private final ConsoleSessions sessions;
    private final CurrentSession current;
    private final AdminCaller caller;

    public ConsoleFilters(ConsoleSessions sessions, CurrentSession current, AdminCaller caller) {
        this.sessions = sessions;
        this.current = current;
        this.caller = caller;
    }

    @Produces
    @Singleton
    static ConsoleSessions sessions(AdminTokens adminTokens,
            @ConfigProperty(name = "console.session-lifetime", defaultValue = "PT8H") Duration lifetime) {
        return new ConsoleSessions(adminTokens, lifetime, Clock.systemUTC());
    }

    @ServerRequestFilter
    public Response requireSession(ContainerRequestContext request, HttpServerRequest http) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/console") || path.startsWith("/console/sign-in")) {
            return null;
        }
        Cookie cookie = request.getCookies().get(SESSION_COOKIE);
        Optional<ConsoleSessions.Session> session = sessions.session(cookie == null ? null : cookie.getValue());
        if (session.isEmpty()) {
            return Response.seeOther(URI.create("/console/sign-in")).build();
        }
        current.set(session.get());
        caller.authenticated(session.get().admin().name(), AdminCaller.Via.CONSOLE, http);
        return null;
    }

    @ServerResponseFilter
    public void protectPages(ContainerRequestContext request, ContainerResponseContext response) {
        if (!request.getUriInfo().getPath().startsWith("/console")) {
            return;
        }
        var headers = response.getHeaders();
        headers.putSingle("Cache-Control", "no-store");
        headers.putSingle("X-Content-Type-Options", "nosniff");
        headers.putSingle("Referrer-Policy", "no-referrer");
        headers.putSingle("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; "
                + "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    }
}
