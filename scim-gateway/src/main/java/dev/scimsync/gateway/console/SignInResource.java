package dev.scimsync.gateway.console;

import dev.scimsync.gateway.auth.AdminTokens;
import dev.scimsync.gateway.auth.AuthFailures;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestForm;

/**
 * Sign-in with an admin token: the operator's, or an organization's (whose session then reaches only that
 * organization). The form is protected against login CSRF by a double-submit value (a SameSite=Strict cookie and
 * a hidden field that must agree), so no other site can sign a browser in. Wrong tokens count against the client
 * address, and a scoped token's against its id too ({@link AuthFailures}); a blocked address is answered 429 with
 * Retry-After, whatever token it sends. Signing out ends the session on the server, not just in this browser.
 */
@Path("/console")
public class SignInResource {

    private static final Logger LOG = Logger.getLogger(SignInResource.class);
    private static final String FORM_COOKIE = "scimsync_console_form";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ConsoleSessions sessions;
    private final Pages pages;
    private final CurrentSession current;
    private final AuthFailures failures;

    public SignInResource(ConsoleSessions sessions, Pages pages, CurrentSession current, AuthFailures failures) {
        this.sessions = sessions;
        this.pages = pages;
        this.current = current;
        this.failures = failures;
    }

    @GET
    public Response home() {
        return Response.seeOther(URI.create("/console/connections")).build();
    }

    /** What the cookies need to know of the request. */
    private record Request(UriInfo uri, HttpHeaders headers) {
    }

    @GET
    @Path("/sign-in")
    public Response form(@Context UriInfo uri, @Context HttpHeaders headers) {
        return signInPage(200, new Request(uri, headers), null);
    }

    @POST
    @Path("/sign-in")
    public Uni<Response> signIn(@Context UriInfo uri, @Context HttpHeaders headers, @Context HttpServerRequest http,
            @RestForm String token, @RestForm("form") String formValue, @CookieParam(FORM_COOKIE) String formCookie) {
        Request request = new Request(uri, headers);
        String address = AuthFailures.addressKey(http);
        var blocked = failures.blocked(address);
        if (blocked.isPresent()) {
            LOG.warn("console: sign-in refused (too many failed sign-ins from this address)");
            return Uni.createFrom().item(tooMany(request, "Too many failed sign-ins from your address. Try again in "
                    + blocked.getAsInt() + " seconds.", blocked.getAsInt()));
        }
        if (formValue == null || !formValue.equals(formCookie)) {
            return Uni.createFrom().item(signInPage(403, request, "The sign-in form expired. Please try again."));
        }
        return sessions.signIn(token).map(opened -> opened.map(session -> {
            LOG.infof("console: %s signed in", session.admin().name());
            return Response.seeOther(URI.create("/console/connections"))
                    .cookie(cookie(request, ConsoleFilters.SESSION_COOKIE, session.cookie(),
                            (int) sessions.lifetime().toSeconds()),
                            cookie(request, FORM_COOKIE, "", 0))
                    .build();
        }).orElseGet(() -> {
            LOG.warn("console: sign-in refused (not an admin token)");
            var idBlock = failures.adminTokenFailed(address, token == null ? "" : token.strip());
            return idBlock.isPresent() ? tooMany(request, "Too many failed sign-ins with this admin token id. "
                    + "Try again in " + idBlock.getAsInt() + " seconds.", idBlock.getAsInt())
                    : signInPage(401, request,
                            "That is not the admin token (ADMIN_TOKEN) nor a live admin token of an organization.");
        })).onFailure(AdminTokens.CheckUnavailable.class).recoverWithItem(failure -> {
            LOG.warnf("console: sign-in not checked: %s", failure.getMessage());
            return Response.fromResponse(signInPage(503, request, "Your admin token could not be checked right now. "
                    + "Try again in a few seconds.")).header(HttpHeaders.RETRY_AFTER, 5).build();
        });
    }

    private Response tooMany(Request request, String problem, int retryAfterSeconds) {
        return Response.fromResponse(signInPage(429, request, problem))
                .header(HttpHeaders.RETRY_AFTER, retryAfterSeconds).build();
    }

    @POST
    @Path("/sign-out")
    public Response signOut(@Context UriInfo uri, @Context HttpHeaders headers, @RestForm String csrf) {
        current.requireCsrf(csrf);
        sessions.signOut(current.session());
        LOG.infof("console: %s signed out", current.adminName());
        return Response.seeOther(URI.create("/console/sign-in"))
                .cookie(cookie(new Request(uri, headers), ConsoleFilters.SESSION_COOKIE, "", 0)).build();
    }

    private Response signInPage(int status, Request request, String problem) {
        byte[] random = new byte[18];
        RANDOM.nextBytes(random);
        String formValue = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Response page = pages.render(status, "sign-in", null, Map.of("form", formValue,
                "problem", problem == null ? "" : problem));
        return Response.fromResponse(page).cookie(cookie(request, FORM_COOKIE, formValue, 600)).build();
    }

    /**
     * HttpOnly, SameSite=Strict, limited to the console, and Secure whenever the browser reached the console
     * over TLS (directly, or through an ingress that says so in X-Forwarded-Proto).
     */
    private static NewCookie cookie(Request request, String name, String value, int maxAge) {
        boolean tls = "https".equals(request.uri().getBaseUri().getScheme())
                || "https".equalsIgnoreCase(request.headers().getHeaderString("X-Forwarded-Proto"));
        return new NewCookie.Builder(name).value(value).path("/console").httpOnly(true).secure(tls)
                .sameSite(NewCookie.SameSite.STRICT).maxAge(maxAge).build();
    }
}
