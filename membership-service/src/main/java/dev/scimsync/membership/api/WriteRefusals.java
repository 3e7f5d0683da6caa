package dev.scimsync.membership.api;

import dev.scimsync.contracts.internal.Problem;
import dev.scimsync.membership.persistence.Memberships;
import dev.scimsync.runtime.DatabaseFailures;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import org.hibernate.JDBCException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Writes refused from inside their transaction, answered once the failure has left it and rolled it back - so
 * nothing the request wrote before the refusal is kept:
 *
 * <ul>
 * <li>an organization without a free seat ({@link #noSeats});</li>
 * <li>two requests that write the same key at the same moment - an admin's double-click creating an organization,
 *     two browser tabs signing the same new person in - both pass their "does it exist?" check, and PostgreSQL
 *     refuses the second insert (a unique violation): {@code 409} saying so, instead of the {@code 500} it got; a
 *     request that can simply be run again against what the first one wrote (a sign-in) does that instead
 *     ({@link #uniqueViolation(Throwable)}).</li>
 * </ul>
 */
public class WriteRefusals {

    private static final String UNIQUE_VIOLATION = "23505";

    /** Whether the failure, or one of its causes, is PostgreSQL refusing a row whose unique key another holds. */
    public static boolean uniqueViolation(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof JDBCException jdbc && UNIQUE_VIOLATION.equals(jdbc.getSQLState())
                    || cause instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return DatabaseFailures.uniqueViolation(failure);
    }

    /**
     * An organization without a free seat (a manual add, a JIT sign-in's placement): {@code 409} with the reason.
     * Answered here, once the failure has left the request's transaction and rolled it back - recovered inside it,
     * the answer committed what the request wrote before the seat check (a lifted removal by hand, a sign-in's new
     * account and its other placements).
     */
    @ServerExceptionMapper
    public Response noSeats(Memberships.NoSeats full) {
        return Response.status(409).type(MediaType.APPLICATION_JSON).entity(new Problem(409, full.getMessage()))
                .build();
    }

    @ServerExceptionMapper
    public Response concurrentWrite(org.hibernate.exception.ConstraintViolationException failure) {
        if (!uniqueViolation(failure)) {
            // Another integrity rule (a foreign key to a row deleted meanwhile): also the other request's doing.
            return conflict("another request changed the data this one refers to at the same moment");
        }
        return conflict("another request wrote the same at the same moment");
    }

    private static Response conflict(String what) {
        return Response.status(409).type(MediaType.APPLICATION_JSON)
                .entity(new Problem(409, what + "; nothing of this request was kept: send it again to see where "
                        + "things stand")).build();
    }
}
