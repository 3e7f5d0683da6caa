package dev.scimsync.membership.api.admin;

import dev.scimsync.contracts.internal.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Admin API errors: a status and a detail an admin can act on. */
final class AdminErrors {

    private AdminErrors() {
    }

    static Response response(int status, String detail) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(new Problem(status, detail)).build();
    }

    static Uni<Response> uni(int status, String detail) {
        return Uni.createFrom().item(response(status, detail));
    }
}
