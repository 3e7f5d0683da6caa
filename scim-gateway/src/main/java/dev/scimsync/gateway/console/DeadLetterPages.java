package dev.scimsync.gateway.console;

import dev.scimsync.contracts.Topics;
import io.smallrye.mutiny.Uni;
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

/**
 * The console's dead letters: what a service parked because it could never apply it (never because a
 * dependency was down), with the reason, and a button that replays one record after the cause is fixed.
 */
@Path("/console/dead-letters")
public class DeadLetterPages {

    private static final String PAGE = "/console/dead-letters";

    private final AdminApi admin;
    private final Pages pages;
    private final CurrentSession session;

    public DeadLetterPages(AdminApi admin, Pages pages, CurrentSession session) {
        this.admin = admin;
        this.pages = pages;
        this.session = session;
    }

    @GET
    public Uni<Response> list(@Context UriInfo uri, @QueryParam("topic") String topic) {
        return admin.get(AdminApi.withQuery("dead-letters", AdminApi.parameters("topic", topic))).map(reply -> {
            if (!reply.ok()) {
                return pages.problem(reply);
            }
            Map<String, Object> data = new HashMap<>();
            data.put("deadLetters", reply.map().getOrDefault("deadLetters", List.of()));
            data.put("topic", topic == null ? "" : topic);
            data.put("topics", Topics.DEAD_LETTERS);
            return pages.render("dead-letters", uri, data);
        });
    }

    @POST
    @Path("/{topic}/{partition}/{offset}/replay")
    public Uni<Response> replay(@PathParam("topic") String topic, @PathParam("partition") String partition,
            @PathParam("offset") String offset, @RestForm String csrf, @RestForm String again) {
        session.requireCsrf(csrf);
        String path = AdminApi.path("dead-letters", topic, partition, offset, "replay");
        return admin.post("true".equals(again) ? path + "?again=true" : path, null).map(reply -> reply.ok()
                ? Pages.done(PAGE, "Replayed " + topic + "/" + partition + "/" + offset + " to "
                        + reply.map().get("replayedTo") + ".")
                : Pages.failed(PAGE, reply));
    }
}
