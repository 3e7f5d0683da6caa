package dev.scimsync.audit.api;

import dev.scimsync.contracts.internal.Problem;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The admin API's error answer: {@code {"status": 409, "detail": "..."}}, as every service's admin API writes it. */
final class AdminProblems {

    private AdminProblems() {
    }

    static Response of(int status, String detail) {
        return Response.status(status).entity(new Problem(status, detail))
                .type(MediaType.APPLICATION_JSON).build();
    }
}
