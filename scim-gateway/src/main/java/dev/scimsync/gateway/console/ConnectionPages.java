package dev.scimsync.gateway.console;

import static dev.scimsync.gateway.console.AdminApi.parameters;
import static dev.scimsync.gateway.console.AdminApi.path;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.RestForm;

/**
 * The console's connection pages: the list (with organizations and their seats), a connection's settings
 * and SCIM tokens, its IdP groups and their mappings, troubleshooting and activity. Every read and every
 * change is an admin API call.
 */
@Path("/console/connections")
public class ConnectionPages {

    private final AdminApi admin;
    private final Pages pages;
    private final CurrentSession session;
    private final Optional<String> scimBaseUrl;

    public ConnectionPages(AdminApi admin, Pages pages, CurrentSession session,
            @ConfigProperty(name = "console.scim-base-url") Optional<String> scimBaseUrl) {
        this.admin = admin;
        this.pages = pages;
        this.session = session;
        this.scimBaseUrl = scimBaseUrl;
    }

    private static String page(String name, String... more) {
        String[] segments = new String[more.length + 2];
        segments[0] = "connections";
        segments[1] = name;
        System.arraycopy(more, 0, segments, 2, more.length);
        return Pages.path(segments);
    }

    @GET
    public Uni<Response> list(@Context UriInfo uri) {
        return Uni.combine().all().unis(admin.get("connections"), admin.get("organizations")).asTuple()
                .map(answers -> answers.getItem1().ok() && answers.getItem2().ok()
                        ? pages.render("connections", uri, Map.of("connections", answers.getItem1().list(),
                                "organizations", SeatUsage.of(answers.getItem2().list())))
                        : pages.problem(answers.getItem1().ok() ? answers.getItem2() : answers.getItem1()));
    }

    @POST
    public Uni<Response> create(@RestForm String csrf, @RestForm String name, @RestForm String organizations,
            @RestForm String defaultOrganization, @RestForm String defaultTeam, @RestForm String defaultRole,
            @RestForm String scimEnabled, @RestForm String jitEnabled) {
        session.requireCsrf(csrf);
        Map<String, Object> body = new HashMap<>(settings(organizations, defaultOrganization, defaultTeam,
                defaultRole, scimEnabled, jitEnabled));
        body.put("name", name == null ? "" : name.strip());
        return admin.post("connections", body).map(reply -> reply.ok()
                ? Pages.done(page(name.strip()), "Connection " + name.strip() + " created. Generate a SCIM token next.")
                : Pages.failed("/console/connections", reply));
    }

    @GET
    @Path("/{name}")
    public Uni<Response> connection(@Context UriInfo uri, @PathParam("name") String name) {
        return connectionPage(uri, name, 200, null);
    }

    @POST
    @Path("/{name}/settings")
    public Uni<Response> settings(@PathParam("name") String name, @RestForm String csrf,
            @RestForm String organizations, @RestForm String defaultOrganization, @RestForm String defaultTeam,
            @RestForm String defaultRole, @RestForm String scimEnabled, @RestForm String jitEnabled) {
        session.requireCsrf(csrf);
        return admin.patch(path("connections", name), settings(organizations, defaultOrganization, defaultTeam,
                        defaultRole, scimEnabled, jitEnabled))
                .map(reply -> reply.ok() ? Pages.done(page(name), "Settings saved.") : Pages.failed(page(name), reply));
    }

    /** The secret is on this one page and nowhere else: not in a URL, not stored, not shown again. */
    @POST
    @Path("/{name}/tokens")
    public Uni<Response> issueToken(@Context UriInfo uri, @PathParam("name") String name, @RestForm String csrf) {
        session.requireCsrf(csrf);
        return admin.post(path("connections", name, "scim-tokens"), null).chain(reply -> reply.ok()
                ? connectionPage(uri, name, 201, reply.map())
                : Uni.createFrom().item(Pages.failed(page(name), reply)));
    }

    @POST
    @Path("/{name}/tokens/{id}/revoke")
    public Uni<Response> revokeToken(@PathParam("name") String name, @PathParam("id") String id,
            @RestForm String csrf) {
        session.requireCsrf(csrf);
        return admin.delete(path("connections", name, "scim-tokens", id)).map(reply -> reply.ok()
                ? Pages.done(page(name), "Token " + id + " revoked. Calls with it are refused from now on.")
                : Pages.failed(page(name), reply));
    }

    @GET
    @Path("/{name}/groups")
    public Uni<Response> groups(@Context UriInfo uri, @PathParam("name") String name) {
        return admin.get(path("connections", name)).chain(connection -> !connection.ok()
                ? Uni.createFrom().item(pages.problem(connection))
                : admin.get(path("connections", name, "groups")).map(groups -> groups.ok()
                        ? pages.render("groups", uri, Map.of("connection", connection.map(), "groups", groups.list()))
                        : pages.problem(groups)));
    }

    @POST
    @Path("/{name}/group-mappings")
    public Uni<Response> map(@PathParam("name") String name, @RestForm String csrf, @RestForm String groupId,
            @RestForm String organization, @RestForm String team, @RestForm String role) {
        session.requireCsrf(csrf);
        return admin.put(path("connections", name, "group-mappings", blankToEmpty(groupId)),
                        parameters("organization", organization, "team", team, "role", role))
                .map(reply -> reply.ok()
                        ? Pages.done(page(name, "groups"), "Group " + reply.map().get("displayName") + " now fills "
                                + reply.map().get("organization") + ":" + reply.map().get("team") + ".")
                        : Pages.failed(page(name, "groups"), reply));
    }

    @POST
    @Path("/{name}/group-mappings/{groupId}/remove")
    public Uni<Response> unmap(@PathParam("name") String name, @PathParam("groupId") String groupId,
            @RestForm String csrf) {
        session.requireCsrf(csrf);
        return admin.delete(path("connections", name, "group-mappings", groupId)).map(reply -> reply.ok()
                ? Pages.done(page(name, "groups"), "Explicit mapping removed; the group maps by its name again.")
                : Pages.failed(page(name, "groups"), reply));
    }

    @GET
    @Path("/{name}/troubleshooting")
    public Uni<Response> troubleshooting(@Context UriInfo uri, @PathParam("name") String name) {
        return troubleshootingPage(uri, name, null);
    }

    /** The JIT-to-SCIM migration: a dry run reports who would be adopted; the real run enables adoption. */
    @POST
    @Path("/{name}/migration")
    public Uni<Response> migrate(@Context UriInfo uri, @PathParam("name") String name, @RestForm String csrf,
            @RestForm String dryRun) {
        session.requireCsrf(csrf);
        return admin.post(path("connections", name, "migrations", "jit-to-scim"),
                        Map.of("dryRun", !"false".equals(dryRun)))
                .chain(report -> report.ok() ? troubleshootingPage(uri, name, report.map())
                        : Uni.createFrom().item(Pages.failed(page(name, "troubleshooting"), report)));
    }

    @GET
    @Path("/{name}/activity")
    public Uni<Response> activity(@Context UriInfo uri, @PathParam("name") String name,
            @QueryParam("bucket") String bucket) {
        boolean daily = "day".equals(bucket);
        return admin.get(path("connections", name)).chain(connection -> {
            if (!connection.ok()) {
                return Uni.createFrom().item(pages.problem(connection));
            }
            String id = connection.map().get("id").toString();
            return Uni.combine().all().unis(admin.get(AdminApi.withQuery("audit/activity",
                            parameters("connection", id, "bucket", daily ? "day" : "hour"))),
                    admin.get("organizations")).asTuple().map(answers -> {
                        if (!answers.getItem1().ok()) {
                            return pages.problem(answers.getItem1());
                        }
                        @SuppressWarnings("unchecked")
                        List<Map<String, Object>> points = (List<Map<String, Object>>) answers.getItem1().map()
                                .get("points");
                        List<?> linked = (List<?>) connection.map().get("organizations");
                        List<Map<String, Object>> seats = SeatUsage.of(answers.getItem2().list()).stream()
                                .filter(organization -> linked.contains(organization.get("name"))).toList();
                        return pages.render("activity", uri, Map.of("connection", connection.map(),
                                "chart", ActivityChart.of(points, daily), "daily", daily, "organizations", seats));
                    });
        });
    }

    private Uni<Response> connectionPage(UriInfo uri, String name, int status, Map<String, Object> newToken) {
        return Uni.combine().all().unis(admin.get(path("connections", name)),
                admin.get(path("connections", name, "scim-tokens")), admin.get("organizations")).asTuple()
                .map(answers -> {
                    if (!answers.getItem1().ok()) {
                        return pages.problem(answers.getItem1());
                    }
                    Map<String, Object> data = new HashMap<>();
                    data.put("connection", answers.getItem1().map());
                    data.put("tokens", answers.getItem2().list());
                    data.put("organizations", answers.getItem3().list());
                    data.put("scimBaseUrl", scimBaseUrl.orElse(uri.getBaseUri().resolve("/scim/v2").toString()));
                    data.put("newToken", newToken == null ? Map.of() : newToken);
                    return pages.render(status, "connection", uri, data);
                });
    }

    /**
     * Provisioning errors, what the gateways saw of a mis-configured IdP (unknown attributes, failed
     * authentications with the connection's tokens) and, for the operator, failed authentications that name no
     * connection (the operator's alone: they count every tenant's traffic).
     */
    private Uni<Response> troubleshootingPage(UriInfo uri, String name, Map<String, Object> report) {
        return Uni.combine().all().unis(admin.get(path("connections", name)),
                admin.get(path("connections", name, "provisioning-errors")),
                admin.get(path("connections", name, "troubleshooting")),
                session.operator() ? admin.get("failed-authentications")
                        : Uni.createFrom().item(new AdminApi.Reply(200, List.of()))).asTuple().map(answers -> {
                    if (!answers.getItem1().ok()) {
                        return pages.problem(answers.getItem1());
                    }
                    Map<String, Object> seen = answers.getItem3().map();
                    Map<String, Object> data = new HashMap<>();
                    data.put("connection", answers.getItem1().map());
                    data.put("errors", answers.getItem2().list());
                    data.put("unknownAttributes", seen.getOrDefault("unknownAttributes", List.of()));
                    data.put("failedAuthentications", seen.getOrDefault("failedAuthentications", List.of()));
                    data.put("unattributed", answers.getItem4().list());
                    data.put("scimBaseUrl", scimBaseUrl.orElse(uri.getBaseUri().resolve("/scim/v2").toString()));
                    data.put("report", report == null ? Map.of() : report);
                    data.put("hasReport", report != null);
                    return pages.render("troubleshooting", uri, data);
                });
    }

    /** The settings form as an admin API body; unticked boxes are absent from a form, so they mean false. */
    private static Map<String, Object> settings(String organizations, String defaultOrganization,
            String defaultTeam, String defaultRole, String scimEnabled, String jitEnabled) {
        Map<String, Object> body = new HashMap<>();
        body.put("organizations", organizations == null ? List.of() : Arrays.stream(organizations.split("[,\\s]+"))
                .map(String::strip).filter(value -> !value.isEmpty()).toList());
        body.put("defaultOrganization", blankToNull(defaultOrganization));
        body.put("defaultTeam", defaultTeam == null ? "" : defaultTeam.strip());
        body.put("defaultRole", blankToNull(defaultRole));
        body.put("scimEnabled", scimEnabled != null);
        body.put("jitEnabled", jitEnabled != null);
        return body;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String blankToEmpty(String value) {
        return value == null ? "" : value.strip();
    }
}
