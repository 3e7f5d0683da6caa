package dev.scimsync.gateway.console;

import io.quarkus.qute.Engine;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Renders console pages (Qute templates under {@code templates/console/}) with what every page needs: the
 * session's CSRF token for its forms and the notice or error the previous action left.
 */
@ApplicationScoped
public class Pages {

    private static final Logger LOG = Logger.getLogger(Pages.class);

    private final Engine engine;
    private final CurrentSession session;

    public Pages(Engine engine, CurrentSession session) {
        this.engine = engine;
        this.session = session;
    }

    /** A page, answered with the given status. */
    public Response render(int status, String template, UriInfo uri, Map<String, ?> data) {
        TemplateInstance page = engine.getTemplate("console/" + template).instance();
        data.forEach(page::data);
        page.data("csrf", session.csrf());
        page.data("operator", session.operator());
        page.data("signedInAs", session.adminName());
        page.data("notice", uri == null ? "" : Objects.requireNonNullElse(uri.getQueryParameters().getFirst("notice"), ""));
        page.data("error", uri == null ? "" : Objects.requireNonNullElse(uri.getQueryParameters().getFirst("error"), ""));
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(page.render())
                .build();
    }

    public Response render(String template, UriInfo uri, Map<String, ?> data) {
        return render(200, template, uri, data);
    }

    /** A console page's path: {@code path("connections", name, "groups")}, each segment encoded. */
    public static String path(String... segments) {
        return "/console/" + AdminApi.path(segments);
    }

    /** A query's filters as the page's form shows them back: every name present, blank when unset. */
    public static Map<String, String> formValues(Map<String, Object> filters) {
        Map<String, String> values = new java.util.HashMap<>();
        filters.forEach((name, value) -> values.put(name, value == null ? "" : value.toString()));
        return values;
    }

    /** After a form: back to a page (POST-redirect-GET) with a one-line notice. */
    public static Response done(String path, String notice) {
        return Response.seeOther(URI.create(AdminApi.withQuery(path, Map.of("notice", notice)))).build();
    }

    /**
     * After a form the admin API refused: back to the page, saying why - except a 403, which is answered as one (the
     * action is outside what this admin may do, e.g. a connection for another organization).
     */
    public static Response failed(String path, AdminApi.Reply reply) {
        if (reply.status() == 403) {
            return Response.status(403).type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8")).entity(reply.detail())
                    .build();
        }
        return Response.seeOther(URI.create(AdminApi.withQuery(path, Map.of("error", reply.detail())))).build();
    }

    /** A page whose subject the admin API could not give (missing, or a service down). */
    public Response problem(AdminApi.Reply reply) {
        return render(reply.status() >= 400 && reply.status() < 600 ? reply.status() : 502, "problem", null,
                Map.of("status", reply.status(), "detail", reply.detail()));
    }

    /** A page whose admin API answer does not fit the console's view of it: a bad gateway, said as such. */
    @ServerExceptionMapper
    public Response unreadable(ConsoleViews.UnreadableAnswer failure) {
        LOG.warn(failure.getMessage());
        return problem(new AdminApi.Reply(502, Map.of("detail", failure.getMessage())));
    }
}
