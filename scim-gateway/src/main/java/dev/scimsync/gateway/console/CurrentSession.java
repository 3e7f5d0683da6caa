package dev.scimsync.gateway.console;

import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

/** The signed-in console session of this request, set by {@link ConsoleFilters}. */
@RequestScoped
public class CurrentSession {

    private ConsoleSessions.Session session;

    void set(ConsoleSessions.Session session) {
        this.session = session;
    }

    /** The session, for signing it out; only on pages behind {@link ConsoleFilters}. */
    ConsoleSessions.Session session() {
        if (session == null) {
            throw new IllegalStateException("no console session in this request");
        }
        return session;
    }

    /** Whether the signed-in admin is the operator (an organization's admin is not shown the operator's pages). */
    public boolean operator() {
        return session == null || session.admin().scope().isOperator();
    }

    /** Who is signed in, as the audit log names it; blank without a session. */
    public String adminName() {
        return session == null ? "" : session.admin().name();
    }

    public String csrf() {
        return session == null ? "" : session.csrf();
    }

    /** Refuses a form whose CSRF value is not this session's (a cross-site post, or a stale page). */
    public void requireCsrf(String presented) {
        if (session == null || !ConsoleSessions.csrfMatches(session, presented)) {
            throw new WebApplicationException(Response.status(Response.Status.FORBIDDEN).type("text/plain")
                    .entity("This form has expired or did not come from the console. Go back, reload and try again.")
                    .build());
        }
    }
}
