package dev.scimsync.gateway.console;

import static dev.scimsync.gateway.console.AdminApi.parameters;
import static dev.scimsync.gateway.console.AdminApi.path;

import dev.scimsync.gateway.console.view.Activity;
import dev.scimsync.gateway.console.view.Connection;
import dev.scimsync.gateway.console.view.GroupMapping;
import dev.scimsync.gateway.console.view.IdpGroup;
import dev.scimsync.gateway.console.view.IssuedToken;
import dev.scimsync.gateway.console.view.MigrationReport;
import dev.scimsync.gateway.console.view.Organization;
import dev.scimsync.gateway.console.view.ProvisioningError;
import dev.scimsync.gateway.console.view.ScimToken;
import dev.scimsync.gateway.console.view.Troubleshooting;
import dev.scimsync.gateway.console.view.UnattributedFailures;
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
import java.net.URI;
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
    private final ConsoleViews views;
    private final Pages pages;
    private final CurrentSession session;
    private final Optional<String> scimBaseUrl;

    public ConnectionPages(AdminApi admin, ConsoleViews views, Pages pages, CurrentSession session,
            @ConfigProperty(name = "console.scim-base-url") Optional<String> scimBaseUrl) {
        this.admin = admin;
        this.views = views;
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
                        ? pages.render("connections", uri, Map.of(
                                "connections", views.list(answers.getItem1(), Connection.class),
                                "organizations", views.list(answers.getItem2(), Organization.class)))
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

    @POST
    @Path("/{name}/unlink")
    public Uni<Response> unlink(@PathParam("name") String name, @RestForm String csrf,
            @RestForm String organization) {
        session.requireCsrf(csrf);
        if (organization == null || organization.isBlank()) {
            return Uni.createFrom().item(Response.seeOther(URI.create(AdminApi.withQuery(page(name),
                    Map.of("error", "choose the organization to unlink")))).build());
        }
        return admin.delete(path("connections", name, "organizations", organization))
                .map(reply -> reply.ok() ? Pages.done(page(name), "Organization " + organization + " unlinked.")
                        : Pages.failed(page(name), reply));
    }

    /** The secret is on this one page and nowhere else: not in a URL, not stored, not shown again. */
    @POST
    @Path("/{name}/tokens")
    public Uni<Response> issueToken(@Context UriInfo uri, @PathParam("name") String name, @RestForm String csrf) {
        session.requireCsrf(csrf);
        return admin.post(path("connections", name, "scim-tokens"), null).chain(reply -> reply.ok()
                ? connectionPage(uri, name, 201, views.read(reply, IssuedToken.class))
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
                        ? pages.render("groups", uri, Map.of("connection", views.read(connection, Connection.class),
                                "groups", views.list(groups, IdpGroup.class)))
                        : pages.problem(groups)));
    }

    @POST
    @Path("/{name}/group-mappings")
    public Uni<Response> map(@PathParam("name") String name, @RestForm String csrf, @RestForm String groupId,
            @RestForm String organization, @RestForm String team, @RestForm String role) {
        session.requireCsrf(csrf);
        return admin.put(path("connections", name, "group-mappings", blankToEmpty(groupId)),
                        parameters("organization", organization, "team", team, "role", role))
                .map(reply -> {
                    if (!reply.ok()) {
                        return Pages.failed(page(name, "groups"), reply);
                    }
                    GroupMapping mapping = views.read(reply, GroupMapping.class);
                    return Pages.done(page(name, "groups"), "Group " + mapping.displayName() + " now fills "
                            + mapping.organization() + ":" + mapping.team() + ".");
                });
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
                .chain(report -> report.ok() ? troubleshootingPage(uri, name, views.read(report, MigrationReport.class))
                        : Uni.createFrom().item(Pages.failed(page(name, "troubleshooting"), report)));
    }

    /**
     * Moving an organization to this IdP: a dry run reports which of the old connection's members this connection's
     * SCIM creates would adopt; the real run turns adoption on.
     */
    @POST
    @Path("/{name}/move-from")
    public Uni<Response> moveFrom(@Context UriInfo uri, @PathParam("name") String name, @RestForm String csrf,
            @RestForm String from, @RestForm String dryRun) {
        session.requireCsrf(csrf);
        Map<String, Object> body = new HashMap<>();
        body.put("from", blankToNull(from));
        body.put("dryRun", !"false".equals(dryRun));
        return admin.post(path("connections", name, "migrations", "from-connection"), body)
                .chain(report -> report.ok() ? troubleshootingPage(uri, name, views.read(report, MigrationReport.class))
                        : Uni.createFrom().item(Pages.failed(page(name, "troubleshooting"), report)));
    }

    /** Stops adopting the old connection's members. */
    @POST
    @Path("/{name}/move-from/stop")
    public Uni<Response> stopMovingFrom(@PathParam("name") String name, @RestForm String csrf) {
        session.requireCsrf(csrf);
        return admin.delete(path("connections", name, "migrations", "from-connection"))
                .map(reply -> reply.ok() ? Pages.done(page(name, "troubleshooting"), "Adoption stopped: the old "
                        + "connection's members are refused as another connection's members again.")
                        : Pages.failed(page(name, "troubleshooting"), reply));
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
            Connection linked = views.read(connection, Connection.class);
            return Uni.combine().all().unis(admin.get(AdminApi.withQuery("audit/activity",
                            parameters("connection", linked.id(), "bucket", daily ? "day" : "hour"))),
                    admin.get("organizations")).asTuple().map(answers -> {
                        if (!answers.getItem1().ok()) {
                            return pages.problem(answers.getItem1());
                        }
                        List<Organization> seats = views.list(answers.getItem2(), Organization.class).stream()
                                .filter(organization -> linked.organizations().contains(organization.name())).toList();
                        return pages.render("activity", uri, Map.of("connection", linked, "chart",
                                ActivityChart.of(views.read(answers.getItem1(), Activity.class).points(), daily),
                                "daily", daily, "organizations", seats));
                    });
        });
    }

    /** The connection's page; {@code newToken} is the token just issued, or null. */
    private Uni<Response> connectionPage(UriInfo uri, String name, int status, IssuedToken newToken) {
        return Uni.combine().all().unis(admin.get(path("connections", name)),
                admin.get(path("connections", name, "scim-tokens")), admin.get("organizations")).asTuple()
                .map(answers -> {
                    if (!answers.getItem1().ok()) {
                        return pages.problem(answers.getItem1());
                    }
                    Map<String, Object> data = new HashMap<>();
                    data.put("connection", views.read(answers.getItem1(), Connection.class));
                    data.put("tokens", views.list(answers.getItem2(), ScimToken.class));
                    data.put("organizations", views.list(answers.getItem3(), Organization.class));
                    data.put("scimBaseUrl", scimBaseUrl.orElse(uri.getBaseUri().resolve("/scim/v2").toString()));
                    data.put("newToken", newToken);
                    return pages.render(status, "connection", uri, data);
                });
    }

    /**
     * Provisioning errors, what the gateways saw of a mis-configured IdP (unknown attributes, failed
     * authentications with the connection's tokens, requests refused while its SCIM was off) and, for the operator, failed authentications that name no
     * connection (the operator's alone: they count every tenant's traffic). {@code report} is a migration's, or null.
     */
    private Uni<Response> troubleshootingPage(UriInfo uri, String name, MigrationReport report) {
        return Uni.combine().all().unis(admin.get(path("connections", name)),
                admin.get(path("connections", name, "provisioning-errors")),
                admin.get(path("connections", name, "troubleshooting")),
                session.operator() ? admin.get("failed-authentications")
                        : Uni.createFrom().item(new AdminApi.Reply(200, List.of()))).asTuple().map(answers -> {
                    if (!answers.getItem1().ok()) {
                        return pages.problem(answers.getItem1());
                    }
                    // What the gateways saw is shown if it could be read; the page is useful without it.
                    Troubleshooting seen = answers.getItem3().ok() ? views.read(answers.getItem3(), Troubleshooting.class)
                            : new Troubleshooting(List.of(), List.of(), List.of());
                    Map<String, Object> data = new HashMap<>();
                    data.put("connection", views.read(answers.getItem1(), Connection.class));
                    data.put("errors", views.list(answers.getItem2(), ProvisioningError.class));
                    data.put("unknownAttributes", seen.unknownAttributes());
                    data.put("failedAuthentications", seen.failedAuthentications());
                    data.put("refusedWhileScimOff", seen.refusedWhileScimOff());
                    data.put("unattributed", views.list(answers.getItem4(), UnattributedFailures.class));
                    data.put("scimBaseUrl", scimBaseUrl.orElse(uri.getBaseUri().resolve("/scim/v2").toString()));
                    data.put("report", report);
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
