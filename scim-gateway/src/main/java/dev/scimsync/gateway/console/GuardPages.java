package dev.scimsync.gateway.console;

import static dev.scimsync.gateway.console.AdminApi.path;

import dev.scimsync.gateway.console.view.Connection;
import dev.scimsync.gateway.console.view.Guard;
import dev.scimsync.gateway.console.view.HeldChanges;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestForm;

/**
 * A connection's mass-deprovisioning guard in the console (docs/admin-guide.md): its threshold, the
 * deactivations and removals it holds - who and what, in the order the IdP sent them - and the two decisions,
 * approve (apply them) or reject (drop them and fix the IdP).
 */
@Path("/console/connections/{name}/held-changes")
public class GuardPages {

    private final AdminApi admin;
    private final ConsoleViews views;
    private final Pages pages;
    private final CurrentSession session;

    public GuardPages(AdminApi admin, ConsoleViews views, Pages pages, CurrentSession session) {
        this.admin = admin;
        this.views = views;
        this.pages = pages;
        this.session = session;
    }

    @GET
    public Uni<Response> page(@Context UriInfo uri, @PathParam("name") String name) {
        return Uni.combine().all().unis(admin.get(path("connections", name)),
                admin.get(path("connections", name, "guard")),
                admin.get(path("connections", name, "held-changes"))).asTuple().map(answers -> {
                    for (AdminApi.Reply reply : List.of(answers.getItem1(), answers.getItem2(), answers.getItem3())) {
                        if (!reply.ok()) {
                            return pages.problem(reply);
                        }
                    }
                    HeldChanges held = views.read(answers.getItem3(), HeldChanges.class);
                    return pages.render("held-changes", uri, Map.of("connection",
                            views.read(answers.getItem1(), Connection.class), "tab", "held-changes",
                            "guard", views.read(answers.getItem2(), Guard.class), "held", held.held(),
                            "changes", held.changes()));
                });
    }

    @POST
    @Path("/approve")
    public Uni<Response> approve(@PathParam("name") String name, @RestForm String csrf) {
        session.requireCsrf(csrf);
        return admin.post(path("connections", name, "held-changes", "approve"), null).map(reply -> {
            if (!reply.ok()) {
                return Pages.failed(page(name), reply);
            }
            HeldChanges.Decision decision = views.read(reply, HeldChanges.Decision.class);
            return Pages.done(page(name), "Approved: " + decision.approved() + " applied in the order the IdP sent "
                    + "them, " + decision.superseded() + " superseded by newer changes.");
        });
    }

    @POST
    @Path("/reject")
    public Uni<Response> reject(@PathParam("name") String name, @RestForm String csrf) {
        session.requireCsrf(csrf);
        return admin.post(path("connections", name, "held-changes", "reject"), null).map(reply -> reply.ok()
                ? Pages.done(page(name), "Rejected " + views.read(reply, HeldChanges.Decision.class).rejected()
                        + " held changes: nothing was applied. The IdP still believes them - put its assignments right.")
                : Pages.failed(page(name), reply));
    }

    @POST
    @Path("/settings")
    public Uni<Response> settings(@PathParam("name") String name, @RestForm String csrf, @RestForm String enabled,
            @RestForm String percent, @RestForm String maxMembers, @RestForm String minMembers,
            @RestForm String windowMinutes) {
        session.requireCsrf(csrf);
        Map<String, Object> body = new HashMap<>();
        // An unticked box is absent from a form: it means off.
        body.put("enabled", enabled != null);
        for (Map.Entry<String, String> field : Map.of("percent", blank(percent), "maxMembers", blank(maxMembers),
                "minMembers", blank(minMembers), "windowMinutes", blank(windowMinutes)).entrySet()) {
            if (!field.getValue().isEmpty()) {
                try {
                    body.put(field.getKey(), Integer.parseInt(field.getValue()));
                } catch (NumberFormatException notANumber) {
                    body.put(field.getKey(), field.getValue());
                }
            }
        }
        return admin.patch(path("connections", name, "guard"), body).map(reply -> reply.ok()
                ? Pages.done(page(name), "Guard settings saved.")
                : Pages.failed(page(name), reply));
    }

    private static String page(String name) {
        return Pages.path("connections", name, "held-changes");
    }

    private static String blank(String value) {
        return value == null ? "" : value.strip();
    }
}
