package dev.scimsync.audit.messaging;

import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import java.io.IOException;

/** Tells a message the database will never take from a database that cannot be reached right now. */
final class StoreFailures {

    private StoreFailures() {
    }

    /**
     * Whether the data caused the failure, so trying again cannot help: PostgreSQL refused a value (SQLSTATE
     * class 22), a constraint (23) or a size limit (54), or our own code threw on the message. A lost or
     * refused connection, a server shutting down or restarting (08, 57P) and every other database error are
     * not: they pass, and the message is tried again.
     */
    static boolean refusedByTheDatabase(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PgException pg) {
                String state = pg.getSqlState() == null ? "" : pg.getSqlState();
                return state.startsWith("22") || state.startsWith("23") || state.startsWith("54");
            }
            if (cause instanceof VertxException || cause instanceof IOException) {
                return false;
            }
        }
        return failure instanceof RuntimeException;
    }
}
