package dev.scimsync.gateway.console;

import static dev.scimsync.gateway.console.AdminApi.parameters;
import static dev.scimsync.gateway.console.AdminApi.path;

import dev.scimsync.gateway.api.AdminProxyResource;
import dev.scimsync.gateway.console.view.AdminToken;
import dev.scimsync.gateway.console.view.AuditRecord;
import dev.scimsync.gateway.console.view.Invitation;
import dev.scimsync.gateway.console.view.Member;
import dev.scimsync.gateway.console.view.Organization;
import dev.scimsync.gateway.console.view.Team;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestMulti;

/**
 * The console's organization pages: members (searched, filtered and paged by the admin API, so 100k members
 * page as fast as 100) with the seat usage and limit, one member's teams and history, the CSV export, the
 * invitations (sent, listed, revoked), its admin tokens (issued and revoked by the operator), and teams with their
 * members.
 */
@Path("/console/organizations")
public class OrganizationPages {

    static final int PAGE_SIZE = 50;

    private static final List<String> ROLES = List.of("member", "editor", "owner");

    private final AdminApi admin;
    private final ConsoleViews views;
    private final AdminProxyResource downloads;
    private final Pages pages;
    private final CurrentSession session;

    public OrganizationPages(AdminApi admin, ConsoleViews views, AdminProxyResource downloads, Pages pages,
            CurrentSession session) {
        this.admin = admin;
        this.views = views;
        this.downloads = downloads;
        this.pages = pages;
        this.session = session;
    }

    @POST
    public Uni<Response> create(@RestForm String csrf, @RestForm String name, @RestForm String seats) {
        session.requireCsrf(csrf);
        Map<String, Object> body = new HashMap<>();
        body.put("name", name == null ? "" : name.strip());
        try {
            Integer limit = typedNumber(seats);
            if (limit != null) {
                body.put("seats", limit);
            }
        } catch (NumberFormatException e) {
            return Uni.createFrom().item(Pages.failed("/console/connections",
                    new AdminApi.Reply(400, Map.of("detail", "seats must be a whole number, or empty for no limit"))));
        }
        return admin.post("organizations", body).map(reply -> reply.ok()
                ? Pages.done("/console/connections", "Organization " + body.get("name") + " created.")
                : Pages.failed("/console/connections", reply));
    }

    @GET
    @Path("/{org}/members")
    public Uni<Response> members(@Context UriInfo uri, @PathParam("org") String organization,
            @QueryParam("q") String search, @QueryParam("state") String state, @QueryParam("source") String source,
            @QueryParam("role") String role, @QueryParam("page") @DefaultValue("1") int pageNumber) {
        int current = Math.max(pageNumber, 1);
        Map<String, Object> filters = parameters("q", search, "state", state, "source", source, "role", role);
        Map<String, Object> query = new HashMap<>(filters);
        query.put("startIndex", (current - 1) * PAGE_SIZE + 1);
        query.put("count", PAGE_SIZE);
        return Uni.combine().all().unis(admin.get(AdminApi.withQuery(path("organizations", organization, "members"),
                query)), admin.get(path("organizations", organization))).asTuple().map(answers -> {
            AdminApi.Reply reply = answers.getItem1();
            if (!reply.ok()) {
                return pages.problem(reply);
            }
            if (!answers.getItem2().ok()) {
                return pages.problem(answers.getItem2());
            }
            Member.Page found = views.read(reply, Member.Page.class);
            long total = found.totalResults();
            long pagesTotal = Math.max(1, (total + PAGE_SIZE - 1) / PAGE_SIZE);
            String base = Pages.path("organizations", organization, "members");
            Map<String, Object> data = new HashMap<>();
            data.put("organization", organization);
            data.put("seats", views.read(answers.getItem2(), Organization.class));
            data.put("members", found.members());
            data.put("total", total);
            data.put("page", current);
            data.put("pages", pagesTotal);
            data.put("filters", Pages.formValues(filters));
            data.put("previous", current > 1 ? pageLink(base, filters, current - 1) : "");
            data.put("next", current < pagesTotal ? pageLink(base, filters, current + 1) : "");
            data.put("export", base + ".csv");
            data.put("states", List.of("active", "deactivated"));
            data.put("sources", List.of("scim", "jit", "manual", "invite"));
            data.put("roles", ROLES);
            return pages.render("members", uri, data);
        });
    }

    /**
     * The seat limit (issue 20: the admin adds seats when SCIM creates are refused for want of them): a whole number,
     * or empty for no limit. A limit below the seats in use removes nobody; it refuses new members until some leave,
     * and the notice says so. The operator's alone ({@code AdminScope}): an organization's admin gets the admin
     * API's 403.
     */
    @POST
    @Path("/{org}/seats")
    public Uni<Response> seats(@PathParam("org") String organization, @RestForm String csrf, @RestForm String seats) {
        session.requireCsrf(csrf);
        String page = Pages.path("organizations", organization, "members");
        Map<String, Object> body = new HashMap<>();
        try {
            body.put("seats", typedNumber(seats)); // null: no limit
        } catch (NumberFormatException e) {
            return Uni.createFrom().item(Pages.failed(page, new AdminApi.Reply(400,
                    Map.of("detail", "seats must be a whole number, or empty for no limit"))));
        }
        return admin.patch(path("organizations", organization), body).map(reply -> {
            if (!reply.ok()) {
                return Pages.failed(page, reply);
            }
            Organization saved = views.read(reply, Organization.class);
            if (!saved.limited()) {
                return Pages.done(page, "No seat limit for " + organization + " now.");
            }
            long savedLimit = saved.seats();
            long used = saved.seatsUsed();
            String notice = "Seat limit of " + organization + " set to " + savedLimit + ".";
            return Pages.done(page, savedLimit < used ? notice + " " + used + " seats are in use: nobody "
                    + "is removed, but new and re-activated members are refused until "
                    + (used - savedLimit) + " leave or are deactivated." : notice);
        });
    }

    /** A member added by hand (or an IdP's member an admin removed, added back): the notice says which. */
    @POST
    @Path("/{org}/members")
    public Uni<Response> add(@PathParam("org") String organization, @RestForm String csrf, @RestForm String email,
            @RestForm String role) {
        session.requireCsrf(csrf);
        String page = Pages.path("organizations", organization, "members");
        Map<String, Object> body = new HashMap<>();
        body.put("email", email == null ? "" : email.strip());
        body.put("role", role);
        return admin.post(path("organizations", organization, "members"), body).map(reply -> {
            if (!reply.ok()) {
                return Pages.failed(page, reply);
            }
            Member added = views.read(reply, Member.class);
            return Pages.done(page, added.email() + " is a member of " + organization + " as " + added.role()
                    + ("manual".equals(added.source()) ? ", added by hand."
                            : ", managed by the IdP again (source " + added.source() + ")."));
        });
    }

    /**
     * Removed by hand, from the member's page: access to the organization ends at once and the IdP does not put
     * the member back (membership-service keeps them out until an admin adds them again).
     */
    @POST
    @Path("/{org}/members/{email}/remove")
    public Uni<Response> remove(@PathParam("org") String organization, @PathParam("email") String email,
            @RestForm String csrf) {
        session.requireCsrf(csrf);
        return admin.delete(path("organizations", organization, "members", email)).map(reply -> reply.ok()
                ? Pages.done(Pages.path("organizations", organization, "members"), email + " is removed from "
                        + organization + ".")
                : Pages.failed(Pages.path("organizations", organization, "members", email), reply));
    }

    /** The admin API's CSV export, streamed through. */
    @GET
    @Path("/{org}/members.csv")
    public RestMulti<byte[]> export(@PathParam("org") String organization) {
        return downloads.forward(HttpMethod.GET, path("organizations", organization, "members", "export"), null, null,
                null);
    }

    @GET
    @Path("/{org}/members/{email}")
    public Uni<Response> member(@Context UriInfo uri, @PathParam("org") String organization,
            @PathParam("email") String email) {
        return Uni.combine().all().unis(
                admin.get(AdminApi.withQuery(path("organizations", organization, "members"),
                        parameters("email", email, "count", 1))),
                admin.get(AdminApi.withQuery("audit/records", parameters("user", email, "limit", 50)))).asTuple()
                .map(answers -> {
                    if (!answers.getItem1().ok()) {
                        return pages.problem(answers.getItem1());
                    }
                    Member member = views.read(answers.getItem1(), Member.Page.class).members().stream()
                            .filter(candidate -> email.equalsIgnoreCase(candidate.email())).findFirst().orElse(null);
                    if (member == null) {
                        return pages.problem(new AdminApi.Reply(404, Map.of("detail",
                                email + " is not a member of " + organization)));
                    }
                    // The history comes from audit-service: without it, the member's page still stands.
                    List<AuditRecord> history = answers.getItem2().ok()
                            ? views.read(answers.getItem2(), AuditRecord.Page.class).records() : List.of();
                    return pages.render("member", uri, Map.of("organization", organization, "member", member,
                            "history", history));
                });
    }

    /** The organization's invitations, pending and expired, with the form that sends one. */
    @GET
    @Path("/{org}/invitations")
    public Uni<Response> invitations(@Context UriInfo uri, @PathParam("org") String organization) {
        return admin.get(path("organizations", organization, "invitations")).map(reply -> reply.ok()
                ? pages.render("invitations", uri, Map.of("organization", organization,
                        "invitations", views.list(reply, Invitation.class), "roles", ROLES))
                : pages.problem(reply));
    }

    @POST
    @Path("/{org}/invitations")
    public Uni<Response> invite(@PathParam("org") String organization, @RestForm String csrf,
            @RestForm String email, @RestForm String role) {
        session.requireCsrf(csrf);
        String page = Pages.path("organizations", organization, "invitations");
        String address = email == null ? "" : email.strip();
        Map<String, Object> body = new HashMap<>();
        body.put("email", address);
        body.put("role", role);
        return admin.post(path("organizations", organization, "invitations"), body).map(reply -> {
            if (!reply.ok()) {
                return Pages.failed(page, reply);
            }
            Invitation sent = views.read(reply, Invitation.class);
            return Pages.done(page, address + " is invited to " + organization + " as " + sent.role() + " until "
                    + ConsoleExtensions.when(sent.expiresAt()) + ".");
        });
    }

    @POST
    @Path("/{org}/invitations/{email}/revoke")
    public Uni<Response> revokeInvitation(@PathParam("org") String organization, @PathParam("email") String email,
            @RestForm String csrf) {
        session.requireCsrf(csrf);
        return deleteFrom(organization, "invitations", email,
                "The invitation of " + email + " is revoked: it is no longer accepted.");
    }

    /** The organization's admin tokens; the operator issues (the secret shown once, on this answer) and revokes. */
    @GET
    @Path("/{org}/admin-tokens")
    public Uni<Response> adminTokens(@Context UriInfo uri, @PathParam("org") String organization) {
        return adminTokensPage(uri, organization, 200, null);
    }

    @POST
    @Path("/{org}/admin-tokens")
    public Uni<Response> issueAdminToken(@Context UriInfo uri, @PathParam("org") String organization,
            @RestForm String csrf, @RestForm String label, @RestForm String validForDays) {
        session.requireCsrf(csrf);
        String page = Pages.path("organizations", organization, "admin-tokens");
        Map<String, Object> body = new HashMap<>();
        body.put("label", label);
        try {
            Integer days = typedNumber(validForDays);
            if (days != null) {
                body.put("validForDays", days);
            }
        } catch (NumberFormatException e) {
            return Uni.createFrom().item(Pages.failed(page, new AdminApi.Reply(400,
                    Map.of("detail", "valid for must be a whole number of days, or empty for the default"))));
        }
        return admin.post(path("organizations", organization, "admin-tokens"), body).chain(reply -> reply.ok()
                ? adminTokensPage(uri, organization, 201, views.read(reply, AdminToken.Issued.class))
                : Uni.createFrom().item(Pages.failed(page, reply)));
    }

    @POST
    @Path("/{org}/admin-tokens/{id}/revoke")
    public Uni<Response> revokeAdminToken(@PathParam("org") String organization, @PathParam("id") String id,
            @RestForm String csrf) {
        session.requireCsrf(csrf);
        return deleteFrom(organization, "admin-tokens", id,
                "Admin token " + id + " revoked: its holder is refused from now on.");
    }

    /** Deletes one of the organization's {@code collection} (an invitation, an admin token), then says so there. */
    private Uni<Response> deleteFrom(String organization, String collection, String key, String notice) {
        String page = Pages.path("organizations", organization, collection);
        return admin.delete(path("organizations", organization, collection, key)).map(reply -> reply.ok()
                ? Pages.done(page, notice) : Pages.failed(page, reply));
    }

    /** A number typed in a form: null when left blank; a NumberFormatException when it is not a whole number. */
    private static Integer typedNumber(String typed) {
        return typed == null || typed.isBlank() ? null : Integer.parseInt(typed.strip());
    }

    private Uni<Response> adminTokensPage(UriInfo uri, String organization, int status, AdminToken.Issued issued) {
        return admin.get(path("organizations", organization, "admin-tokens")).map(reply -> {
            if (!reply.ok()) {
                return pages.problem(reply);
            }
            Map<String, Object> data = new HashMap<>();
            data.put("organization", organization);
            data.put("tokens", views.list(reply, AdminToken.class));
            data.put("newToken", issued);
            return pages.render(status, "admin-tokens", uri, data);
        });
    }

    @GET
    @Path("/{org}/teams")
    public Uni<Response> teams(@Context UriInfo uri, @PathParam("org") String organization) {
        return admin.get(path("organizations", organization, "teams")).map(reply -> reply.ok()
                ? pages.render("teams", uri, Map.of("organization", organization,
                        "teams", views.list(reply, Team.class)))
                : pages.problem(reply));
    }

    @GET
    @Path("/{org}/teams/{team}")
    public Uni<Response> team(@Context UriInfo uri, @PathParam("org") String organization,
            @PathParam("team") String team) {
        return admin.get(path("organizations", organization, "teams", team, "members")).map(reply -> reply.ok()
                ? pages.render("team", uri, Map.of("organization", organization, "team", team,
                        "members", views.read(reply, Team.Members.class).members()))
                : pages.problem(reply));
    }

    private static String pageLink(String base, Map<String, Object> filters, int number) {
        Map<String, Object> query = new java.util.LinkedHashMap<>(filters);
        query.put("page", number);
        return AdminApi.withQuery(base, query);
    }
}
