package dev.scimsync.audit.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** The admin API's error answer: {@code {"status": 409, "detail": "..."}}, as every service's admin API writes it. */
final class AdminProblems {

    private AdminProblems() {
    }

    static Response of(int status, String detail) {
        return Response.status(status).entity(Map.of("status", status, "detail", detail))
                .type(MediaType.APPLICATION_JSON).build();
    }
}
