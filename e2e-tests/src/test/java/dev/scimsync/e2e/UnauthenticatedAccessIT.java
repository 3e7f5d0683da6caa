package dev.scimsync.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scimsync.stack.LocalStack;
import dev.scimsync.stack.ServiceProcess;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Isolation suite (issue 19): every internal endpoint of every service, every admin endpoint and every SCIM
 * endpoint is tried with the credentials an attacker might hold - none, the wrong kind, a revoked SCIM token,
 * a signed-out console session, another tenant's scoped admin token (on the admin API and the console, aimed at
 * the bootstrap tenant) - and each attempt must be refused. The internal and admin endpoints are not a
 * hand-kept list: they are read from each service's OpenAPI document, so a new endpoint is tried as soon as
 * it exists. The counts are printed (and quoted in docs/reliability.md).
 */
class UnauthenticatedAccessIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> INTERNAL_SERVICES = List.of("membership-service", "group-sync-service",
            "audit-service");
    /** Console pages and actions (they are not in the OpenAPI document): one of each resource class's kinds. */
    private static final List<String[]> CONSOLE = List.of(new String[] {"GET", "/console/connections"},
            new String[] {"GET", "/console/connections/x"}, new String[] {"GET", "/console/connections/x/groups"},
            new String[] {"GET", "/console/connections/x/troubleshooting"},
            new String[] {"GET", "/console/connections/x/held-changes"},
            new String[] {"POST", "/console/connections/x/held-changes/approve"},
            new String[] {"POST", "/console/connections/x/tokens"},
            new String[] {"POST", "/console/connections/x/tokens/0123456789ab/revoke"},
            new String[] {"GET", "/console/organizations/x/members"},
            new String[] {"GET", "/console/organizations/x/members.csv"},
            new String[] {"GET", "/console/organizations/x/members/a@x.test"},
            new String[] {"POST", "/console/organizations"}, new String[] {"GET", "/console/audit"},
            new String[] {"GET", "/console/dead-letters"});

    private final Map<String, int[]> triedAndRefused = new TreeMap<>();
    private final List<String> accepted = new ArrayList<>();

    /** An endpoint of an OpenAPI document: its method and its path with every parameter filled in. */
    private record Endpoint(String method, String path) {
    }

    private static List<Endpoint> endpoints(URI service, String prefix) throws Exception {
        Response document = given().baseUri(service.toString()).accept(ContentType.JSON).get("/q/openapi?format=json");
        assertEquals(200, document.statusCode(), service + " serves its OpenAPI document");
        List<Endpoint> endpoints = new ArrayList<>();
        JsonNode paths = JSON.readTree(document.asString()).path("paths");
        paths.fieldNames().forEachRemaining(path -> {
            if (path.startsWith(prefix)) {
                paths.path(path).fieldNames().forEachRemaining(method -> {
                    if (List.of("get", "post", "put", "patch", "delete").contains(method)) {
                        endpoints.add(new Endpoint(method.toUpperCase(), path.replaceAll("\\{[^}]+}",
                                "00000000-0000-4000-8000-000000000000")));
                    }
                });
            }
        });
        assertTrue(endpoints.size() > 2, service + " lists its " + prefix + " endpoints: " + endpoints);
        return endpoints;
    }

    /** Tries the endpoint as {@code who}; refused means one of {@code refusals}. */
    private void attempt(String who, RequestSpecification request, Endpoint endpoint, List<Integer> refusals) {
        attempt(who, request.contentType(ContentType.JSON).body("{}"), endpoint, refusals, null);
    }

    /**
     * Tries the endpoint as {@code who} with the request as given; refused means one of {@code refusals}, and
     * (when {@code mustNotShow} is given) an answer that does not show it.
     */
    private void attempt(String who, RequestSpecification request, Endpoint endpoint, List<Integer> refusals,
            String mustNotShow) {
        Response answer = request.redirects().follow(false).request(endpoint.method(), endpoint.path());
        int status = mustNotShow != null && answer.statusCode() == 200 && !answer.asString().contains(mustNotShow)
                ? 403 : answer.statusCode();
        int[] counts = triedAndRefused.computeIfAbsent(who, w -> new int[2]);
        counts[0]++;
        if (refusals.contains(status)) {
            counts[1]++;
        } else {
            accepted.add(who + ": " + endpoint.method() + " " + endpoint.path() + " answered " + status);
        }
    }

    @Test
    void noEndpointAnswersACallerWithoutValidCredentials() throws Exception {
        var endpoints = SharedStack.endpoints();
        Map<String, URI> services = SharedStack.serviceUrisByName();
        // A gateway of its own, without the failed-authentication throttle: this suite fails hundreds of times
        // from one address, and a blocked address is answered 429 before any credential is looked at - which
        // would test the throttle (AuthFailuresTest does), not the checks, and block the other tests' address.
        ServiceProcess gatewayProcess = SharedStack.startReplica("scim-gateway",
                Map.of("SCIM_AUTH_FAILURES_ENABLED", "false"));
        try {
            tryEverything(endpoints, services, URI.create("http://localhost:" + gatewayProcess.port()));
        } finally {
            gatewayProcess.kill();
        }
    }

    private void tryEverything(LocalStack.Endpoints endpoints, Map<String, URI> services,
            URI gateway) throws Exception {
        int internalEndpoints = 0;
        int scimEndpoints = 0;

        // Internal APIs: only a service's own signed token opens them; an IdP's or the operator's token does not.
        List<Endpoint> adminPaths = new ArrayList<>();
        for (String name : INTERNAL_SERVICES) {
            for (Endpoint endpoint : endpoints(services.get(name), "/internal/")) {
                internalEndpoints++;
                Function<String, RequestSpecification> as = bearer -> bearer == null
                        ? given().baseUri(services.get(name).toString())
                        : given().baseUri(services.get(name).toString()).header("Authorization", "Bearer " + bearer);
                attempt(name + " internal, no credentials", as.apply(null), endpoint, List.of(401));
                attempt(name + " internal, the IdP's SCIM token", as.apply(endpoints.scimToken()), endpoint, List.of(401));
                attempt(name + " internal, the operator's admin token", as.apply(endpoints.adminToken()), endpoint,
                        List.of(401));
                if (endpoint.path().startsWith("/internal/v1/admin/")) {
                    adminPaths.add(new Endpoint(endpoint.method(),
                            "/admin/v1/" + endpoint.path().substring("/internal/v1/admin/".length())));
                }
            }
        }

        // The admin API (the gateway's door to those admin endpoints): the operator's token or nothing.
        for (Endpoint endpoint : adminPaths) {
            attempt("admin API, no credentials", given().baseUri(gateway.toString()), endpoint, List.of(401));
            attempt("admin API, the IdP's SCIM token", given().baseUri(gateway.toString())
                    .header("Authorization", "Bearer " + endpoints.scimToken()), endpoint, List.of(401));
        }

        // SCIM: a token that was revoked is refused on every endpoint, like no token at all.
        // Revoked through this gateway, which refuses it at once (the others within a second).
        String org = "isolation-" + UUID.randomUUID().toString().substring(0, 6);
        Supplier<RequestSpecification> admin = () -> given().baseUri(gateway + "/admin/v1")
                .contentType(ContentType.JSON).header("Authorization", "Bearer " + endpoints.adminToken());
        admin.get().body(Map.of("name", org)).post("/organizations").then().statusCode(201);
        admin.get().body(Map.of("name", org + "-sso", "defaultOrganization", org, "scimEnabled", true))
                .post("/connections").then().statusCode(201);

        // The admin API as another tenant: an admin token of this new organization on every admin endpoint, its
        // parameters naming the bootstrap tenant (acme, acme-sso) - refused (403), or a list without acme in it.
        String otherTenant = admin.get().post("/organizations/{o}/admin-tokens", org).then().statusCode(201)
                .extract().path("token");
        String victimConnectionId = admin.get().get("/connections/acme-sso").then().statusCode(200)
                .extract().path("id");
        Supplier<RequestSpecification> asOtherTenant = () -> given().baseUri(gateway.toString())
                .header("Authorization", "Bearer " + otherTenant).contentType(ContentType.JSON);
        String who = "admin API, another tenant's scoped token";
        for (Endpoint endpoint : adminPaths) {
            String path = endpoint.path().replaceAll("/organizations/[^/]+", "/organizations/acme")
                    .replaceAll("/connections/[^/]+", "/connections/acme-sso");
            Endpoint aimed = new Endpoint(endpoint.method(), path);
            if (path.startsWith("/admin/v1/audit/")) {
                attempt(who, asOtherTenant.get().queryParam("connection", victimConnectionId).body("{}"), aimed,
                        List.of(403), null);
            } else if (endpoint.method().equals("GET") && (path.equals("/admin/v1/organizations")
                    || path.equals("/admin/v1/connections"))) {
                attempt(who, asOtherTenant.get(), aimed, List.of(403), "acme");
            } else {
                attempt(who, asOtherTenant.get().body(Map.of("name", "taken-over", "defaultOrganization", "acme",
                        "organizations", List.of("acme"), "seats", 0, "email", "mallory@example.com")), aimed,
                        List.of(403), null);
            }
        }
        String revoked = admin.get().post("/connections/{c}/scim-tokens", org + "-sso").then().statusCode(201)
                .extract().path("token");
        admin.get().delete("/connections/{c}/scim-tokens/{id}", org + "-sso", revoked.substring(5, 17))
                .then().statusCode(204);
        for (Endpoint endpoint : endpoints(gateway, "/scim/v2/")) {
            scimEndpoints++;
            attempt("SCIM, no credentials", given().baseUri(gateway.toString()), endpoint, List.of(401));
            attempt("SCIM, a revoked token", given().baseUri(gateway.toString())
                    .header("Authorization", "Bearer " + revoked), endpoint, List.of(401));
            attempt("SCIM, the operator's admin token", given().baseUri(gateway.toString())
                    .header("Authorization", "Bearer " + endpoints.adminToken()), endpoint, List.of(401));
        }

        // The console: without a session, and with a session its admin signed out of, every page and action
        // sends the browser to sign in (or refuses), and nothing is shown or done.
        String signedOut = signedOutSession(gateway);
        for (String[] page : CONSOLE) {
            Endpoint endpoint = new Endpoint(page[0], page[1]);
            attempt("console, no session", given().baseUri(gateway.toString()), endpoint, List.of(303, 302, 401, 403));
            attempt("console, a signed-out session", given().baseUri(gateway.toString())
                    .cookie("scimsync_console", signedOut), endpoint, List.of(303, 302, 401, 403));
        }

        // The console as another tenant: signed in with its scoped token, every page and action about acme is 403,
        // forms sent with the session's own CSRF value (so the refusal is the scope's, not the form's).
        String[] otherTenantSession = signedIn(gateway, otherTenant);
        for (String[] page : otherTenantConsole(victimConnectionId)) {
            RequestSpecification request = given().baseUri(gateway.toString())
                    .cookie("scimsync_console", otherTenantSession[0]);
            if (page[0].equals("POST")) {
                request = request.contentType(ContentType.URLENC).formParam("csrf", otherTenantSession[1])
                        .formParam("name", "taken-over").formParam("defaultOrganization", "acme");
            }
            attempt("console, another tenant's scoped token", request, new Endpoint(page[0], page[1]),
                    List.of(403), null);
        }

        int tried = 0;
        int refused = 0;
        System.out.println("Isolation suite: attempts tried / refused, by who");
        for (var entry : triedAndRefused.entrySet()) {
            System.out.printf("  %-45s %4d / %4d%n", entry.getKey(), entry.getValue()[0], entry.getValue()[1]);
            tried += entry.getValue()[0];
            refused += entry.getValue()[1];
        }
        System.out.printf("Isolation suite: %d attempts on %d internal, %d admin, %d SCIM and %d console endpoints "
                + "(%d about another tenant); %d refused%n", tried, internalEndpoints, adminPaths.size(), scimEndpoints,
                CONSOLE.size(), otherTenantConsole(victimConnectionId).size(), refused);
        assertEquals(List.of(), accepted, "every attempt without valid credentials is refused");
        assertEquals(tried, refused);
    }

    /** The console pages and actions about the bootstrap tenant (acme, acme-sso), one of each kind. */
    private static List<String[]> otherTenantConsole(String victimConnectionId) {
        return List.of(new String[] {"GET", "/console/connections/acme-sso"},
                new String[] {"GET", "/console/connections/acme-sso/groups"},
                new String[] {"GET", "/console/connections/acme-sso/troubleshooting"},
                new String[] {"GET", "/console/connections/acme-sso/activity"},
                new String[] {"GET", "/console/connections/acme-sso/held-changes"},
                new String[] {"POST", "/console/connections/acme-sso/held-changes/approve"},
                new String[] {"POST", "/console/connections/acme-sso/held-changes/reject"},
                new String[] {"POST", "/console/connections/acme-sso/held-changes/settings"},
                new String[] {"POST", "/console/connections/acme-sso/settings"},
                new String[] {"POST", "/console/connections/acme-sso/tokens"},
                new String[] {"POST", "/console/connections/acme-sso/tokens/0123456789ab/revoke"},
                new String[] {"POST", "/console/connections/acme-sso/group-mappings"},
                new String[] {"POST", "/console/connections/acme-sso/migration"},
                new String[] {"POST", "/console/connections"},
                new String[] {"GET", "/console/organizations/acme/members"},
                new String[] {"GET", "/console/organizations/acme/members.csv"},
                new String[] {"GET", "/console/organizations/acme/members/a@x.test"},
                new String[] {"GET", "/console/organizations/acme/teams"},
                new String[] {"GET", "/console/organizations/acme/teams/everyone"},
                new String[] {"POST", "/console/organizations"},
                new String[] {"GET", "/console/audit?connection=acme-sso"},
                new String[] {"GET", "/console/audit?connection=_admin"},
                new String[] {"GET", "/console/audit/export?connection=" + victimConnectionId},
                new String[] {"GET", "/console/dead-letters"},
                new String[] {"POST", "/console/dead-letters/scim.user.commands.dlq/0/0/replay"});
    }

    /** A console session signed in with {@code token}: its cookie and its CSRF value. */
    private static String[] signedIn(URI gateway, String token) {
        Response form = given().baseUri(gateway.toString()).get("/console/sign-in");
        Matcher formValue = Pattern.compile("name=\"form\" value=\"([^\"]+)\"").matcher(form.asString());
        assertTrue(formValue.find(), "the sign-in form");
        String session = given().baseUri(gateway.toString()).redirects().follow(false).contentType(ContentType.URLENC)
                .cookie("scimsync_console_form", form.getCookie("scimsync_console_form"))
                .formParam("form", formValue.group(1)).formParam("token", token)
                .post("/console/sign-in").getCookie("scimsync_console");
        Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(given().baseUri(gateway.toString())
                .cookie("scimsync_console", session).get("/console/connections").asString());
        assertTrue(csrf.find(), "signed in, the console shows its pages");
        return new String[] {session, csrf.group(1)};
    }

    /** The cookie of a console session whose admin has signed out: the server forgot it. */
    private static String signedOutSession(URI gateway) {
        String[] session = signedIn(gateway, SharedStack.endpoints().adminToken());
        given().baseUri(gateway.toString()).redirects().follow(false).cookie("scimsync_console", session[0])
                .contentType(ContentType.URLENC).formParam("csrf", session[1]).post("/console/sign-out");
        return session[0];
    }
}
