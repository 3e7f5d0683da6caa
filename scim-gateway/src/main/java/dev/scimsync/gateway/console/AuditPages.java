package dev.scimsync.gateway.console;

import static dev.scimsync.gateway.console.AdminApi.parameters;

import dev.scimsync.contracts.AdminAction;
import dev.scimsync.gateway.api.AdminProxyResource;
import dev.scimsync.gateway.console.view.AuditRecord;
import dev.scimsync.gateway.console.view.Connection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.resteasy.reactive.RestMulti;

/**
 * The audit log in the console: records filtered by connection, action, outcome, user and time, newest
 * first; the hash chain checked on request; NDJSON or CSV downloads streamed from audit-service. Admin actions
 * that name no connection have a chain of their own, chosen as {@link #ADMIN_ACTIONS} (no connection name can
 * start with an underscore).
 */
@Path("/console/audit")
public class AuditPages {

    static final String ADMIN_ACTIONS = "_admin";

    private final AdminApi admin;
    private final ConsoleViews views;
    private final AdminProxyResource downloads;
    private final Pages pages;

    public AuditPages(AdminApi admin, ConsoleViews views, AdminProxyResource downloads, Pages pages) {
        this.admin = admin;
        this.views = views;
        this.downloads = downloads;
        this.pages = pages;
    }

    @GET
    public Uni<Response> records(@Context UriInfo uri, @QueryParam("connection") String connection,
            @QueryParam("action") String action, @QueryParam("outcome") String outcome,
            @QueryParam("user") String user, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("cursor") String cursor, @QueryParam("verify") @DefaultValue("false") boolean verify) {
        Map<String, Object> filters = parameters("connection", connection, "action", action, "outcome", outcome,
                "user", user, "from", from, "to", to);
        return admin.get("connections").chain(answer -> {
            if (!answer.ok()) {
                return Uni.createFrom().item(pages.problem(answer));
            }
            List<Connection> connections = views.list(answer, Connection.class);
            Optional<String> connectionId = ADMIN_ACTIONS.equals(connection) ? Optional.of(AdminAction.NO_CONNECTION)
                    : connections.stream().filter(candidate -> candidate.name().equals(connection))
                            .map(Connection::id).findFirst();
            Map<String, Object> query = new HashMap<>(filters);
            query.put("connection", connectionId.orElse(null));
            query.put("cursor", cursor);
            query.put("limit", 50);
            Uni<AdminApi.Reply> verification = verify && connectionId.isPresent()
                    ? admin.get(AdminApi.withQuery("audit/verify", Map.of("connection", connectionId.get())))
                    : Uni.createFrom().item(new AdminApi.Reply(204, null));
            return Uni.combine().all().unis(admin.get(AdminApi.withQuery("audit/records", query)), verification)
                    .asTuple().map(answers -> {
                        AdminApi.Reply answered = answers.getItem1();
                        AuditRecord.Page records = answered.ok() ? views.read(answered, AuditRecord.Page.class)
                                : new AuditRecord.Page(List.of(), null);
                        AdminApi.Reply verified = answers.getItem2();
                        Map<String, Object> data = new HashMap<>();
                        data.put("connections", connections);
                        data.put("adminActions", ADMIN_ACTIONS);
                        data.put("filters", Pages.formValues(filters));
                        data.put("records", records.records());
                        data.put("problem", answered.ok() ? "" : answered.detail());
                        String next = records.nextCursor();
                        Map<String, Object> nextQuery = new HashMap<>(filters);
                        nextQuery.put("cursor", next);
                        data.put("next", next == null ? "" : AdminApi.withQuery("/console/audit", nextQuery));
                        data.put("verification", verified.ok()
                                ? views.read(verified, AuditRecord.ChainVerification.class) : null);
                        data.put("exportNdjson", connectionId.isEmpty() ? "" : AdminApi.withQuery("/console/audit/export",
                                parameters("connection", connectionId.get(), "format", "ndjson")));
                        data.put("exportCsv", connectionId.isEmpty() ? "" : AdminApi.withQuery("/console/audit/export",
                                parameters("connection", connectionId.get(), "format", "csv")));
                        return pages.render("audit", uri, data);
                    });
        });
    }

    /** A connection's whole log, streamed: NDJSON (one record per line) or CSV. */
    @GET
    @Path("/export")
    public RestMulti<byte[]> export(@QueryParam("connection") String connectionId,
            @QueryParam("format") @DefaultValue("ndjson") String format) {
        return downloads.forward(HttpMethod.GET, "audit/export", AdminApi.query(parameters("connection",
                connectionId == null ? "none" : connectionId, "format", "csv".equals(format) ? "csv" : "ndjson")),
                null, null);
    }
}
