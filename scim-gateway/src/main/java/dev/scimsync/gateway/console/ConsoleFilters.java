package dev.scimsync.gateway.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimsync.gateway.api.AdminAccess;
import dev.scimsync.gateway.auth.AdminCaller;
import dev.scimsync.gateway.auth.AdminScope;
import dev.scimsync.gateway.auth.AdminTokens;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Every console page but sign-in needs a signed-in session; without one the browser is sent to sign in. A page
 * about something outside the admin's scope - another organization, a connection that is not its organization's
 * alone, the operator's pages - answers 403 before it runs ({@link AdminScope}, the rule the admin API follows;
 * the page's own admin API calls are checked again, with their bodies, by {@link AdminApi}). Console answers are
 * never cached and may only load the console's own scripts and styles.
 */
public class ConsoleFilters {

    public static final String SESSION_COOKIE = "scimsync_console";

    private static final Logger LOG = Logger.getLogger(ConsoleFilters.class);

    private final ConsoleSessions sessions;
    private final CurrentSession current;
    private final AdminCaller caller;
    private final AdminAccess access;
    private final Pages pages;

    public ConsoleFilters(ConsoleSessions sessions, CurrentSession current, AdminCaller caller, AdminAccess access,
            Pages pages) {
        this.sessions = sessions;
        this.current = current;
        this.caller = caller;
        this.access = access;
        this.pages = pages;
    }

    @Produces
    @Singleton
    static ConsoleSessions sessions(AdminTokens adminTokens,
            @ConfigProperty(name = "console.session-lifetime", defaultValue = "PT8H") Duration lifetime) {
        return new ConsoleSessions(adminTokens, lifetime, Clock.systemUTC());
    }

    @ServerRequestFilter
    public Uni<Response> requireSession(ContainerRequestContext request, HttpServerRequest http) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/console") || path.startsWith("/console/sign-in")) {
            return null;
        }
        Cookie cookie = request.getCookies().get(SESSION_COOKIE);
        return sessions.session(cookie == null ? null : cookie.getValue()).chain(session -> {
            if (session.isEmpty()) {
                return Uni.createFrom().item(Response.seeOther(URI.create("/console/sign-in")).build());
            }
            current.set(session.get());
            caller.authenticated(session.get().admin(), AdminCaller.Via.CONSOLE, http);
            String rawPath = request.getUriInfo().getRequestUri().getRawPath();
            return subject(request.getMethod(), rawPath.length() > "/console/".length()
                    ? rawPath.substring("/console/".length()) : "", request.getUriInfo().getQueryParameters()
                    .getFirst("connection"))
                    .map(subject -> access.check(session.get().admin().scope(), subject.method(), subject.rawPath(),
                                    subject.rawQuery(), (JsonNode) null)
                            .map(decision -> decision instanceof AdminScope.Refused refused
                                    ? pages.problem(new AdminApi.Reply(refused.status(), Map.of("detail",
                                            refused.detail())))
                                    : (Response) null))
                    .orElseGet(() -> Uni.createFrom().nullItem());
        }).onFailure(AdminTokens.CheckUnavailable.class).recoverWithItem(failure -> {
            LOG.warnf("console: %s", failure.getMessage());
            return Response.status(503).type(MediaType.TEXT_PLAIN_TYPE).header("Retry-After", 5)
                    .entity("Your admin token could not be checked right now. Reload in a few seconds.").build();
        });
    }

    /**
     * What a console page is about, as the admin call that reads it: the connection
     * or organization it is under, the operator's pages, the connection an audit page is asked for (by name, or
     * by id for an export; {@code _admin} is the chain of admin actions). Empty for pages about nothing in
     * particular (the connections list, an audit page not yet narrowed), which show only what the scope reaches.
     */
    static Optional<Subject> subject(String method, String rawConsolePath, String auditConnection) {
        String[] segments = rawConsolePath.split("/");
        String first = segments[0];
        if ((first.equals("connections") || first.equals("organizations")) && segments.length >= 2) {
            return Optional.of(new Subject("GET", first + "/" + segments[1], null));
        }
        if (first.equals("organizations") && !method.equals("GET")) {
            return Optional.of(new Subject(method, "organizations", null));
        }
        if (first.equals("dead-letters")) {
            return Optional.of(new Subject("GET", "dead-letters", null));
        }
        if (first.equals("audit") && auditConnection != null && !auditConnection.isBlank()) {
            return Optional.of(AuditPages.ADMIN_ACTIONS.equals(auditConnection)
                    ? new Subject("GET", "audit/records", "connection=admin")
                    : new Subject("GET", "connections/" + AdminApi.encode(auditConnection), null));
        }
        return Optional.empty();
    }

    /** An admin call: method, path relative to {@code /admin/v1/} and query, both still encoded. */
    record Subject(String method, String rawPath, String rawQuery) {
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
