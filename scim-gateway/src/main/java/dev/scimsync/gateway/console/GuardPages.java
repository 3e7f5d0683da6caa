package dev.scimsync.gateway.console;

import static dev.scimsync.gateway.console.AdminApi.path;

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
    private final Pages pages;
    private final CurrentSession session;

    public GuardPages(AdminApi admin, Pages pages, CurrentSession session) {
        this.admin = admin;
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
                    Map<String, Object> data = new HashMap<>();
                    data.put("connection", answers.getItem1().map());
                    data.put("tab", "held-changes");
                    data.put("guard", answers.getItem2().map());
                    data.put("held", answers.getItem3().map().get("held"));
                    data.put("changes", answers.getItem3().map().getOrDefault("changes", List.of()));
                    return pages.render("held-changes", uri, data);
                });
    }

    @POST
    @Path("/approve")
    public Uni<Response> approve(@PathParam("name") String name, @RestForm String csrf) {
        session.requireCsrf(csrf);
        return admin.post(path("connections", name, "held-changes", "approve"), null).map(reply -> reply.ok()
                ? Pages.done(page(name), "Approved: " + reply.map().get("approved") + " applied in the order the IdP "
                        + "sent them, " + reply.map().get("superseded") + " superseded by newer changes.")
                : Pages.failed(page(name), reply));
    }

    @POST
    @Path("/reject")
    public Uni<Response> reject(@PathParam("name") String name, @RestForm String csrf) {
        session.requireCsrf(csrf);
        return admin.post(path("connections", name, "held-changes", "reject"), null).map(reply -> reply.ok()
                ? Pages.done(page(name), "Rejected " + reply.map().get("rejected") + " held changes: nothing was "
                        + "applied. The IdP still believes them - put its assignments right.")
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
