package dev.scimsync.runtime;

import io.vertx.core.VertxException;
import io.vertx.sqlclient.DatabaseException;
import java.io.IOException;

/**
 * Tells a failure the data causes (trying it again cannot help) from one the database causes (it is away,
 * restarting or busy: trying again can), for the consumers that retry a poll until the database takes it.
 */
public final class DatabaseFailures {

    /** PostgreSQL's SQLSTATE for a unique violation. */
    private static final String UNIQUE_VIOLATION = "23505";
    /** PostgreSQL's SQLSTATE for a statement cancelled, by its statement timeout among others. */
    private static final String QUERY_CANCELED = "57014";

    private DatabaseFailures() {
    }

    /**
     * Whether the data caused the failure: PostgreSQL refused a value (SQLSTATE class 22, data exception), a
     * constraint (23, integrity constraint violation) or a size limit (54, program limit exceeded), or our own
     * code threw on it (it would throw again on every retry, and the partition would stop behind it). A lost or
     * refused connection, a server shutting down or restarting (08, 57P), a conflict with a concurrent writer
     * (40) and every other database error are not.
     */
    public static boolean causedByTheData(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof DatabaseException database) {
                String state = sqlState(database);
                return state.startsWith("22") || state.startsWith("23") || state.startsWith("54");
            }
            if (cause instanceof VertxException || cause instanceof IOException) {
                return false;
            }
        }
        return failure instanceof RuntimeException;
    }

    /**
     * Whether the transaction lost to a concurrent one (SQLSTATE class 40: a serialization failure or a
     * deadlock): the same statements can succeed alone or later.
     */
    public static boolean conflict(Throwable failure) {
        return firstSqlState(failure).startsWith("40");
    }

    /**
     * Whether PostgreSQL cancelled the statement (SQLSTATE 57014, query_canceled): its {@code statement_timeout}
     * ran out, or someone cancelled it.
     */
    public static boolean cancelled(Throwable failure) {
        return QUERY_CANCELED.equals(firstSqlState(failure));
    }

    /**
     * Whether PostgreSQL refused a row because a unique constraint or index already holds its key (SQLSTATE
     * 23505), the failure itself or any of its causes (Mutiny and our own code may wrap it).
     */
    public static boolean uniqueViolation(Throwable failure) {
        return uniqueViolationOf(failure) != null;
    }

    /**
     * Whether the failure is a unique violation (as {@link #uniqueViolation(Throwable)}) whose message names
     * {@code constraint}, the unique constraint or index that refused the row.
     */
    public static boolean uniqueViolation(Throwable failure, String constraint) {
        DatabaseException violation = uniqueViolationOf(failure);
        return violation != null && violation.getMessage() != null && violation.getMessage().contains(constraint);
    }

    private static DatabaseException uniqueViolationOf(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof DatabaseException database && UNIQUE_VIOLATION.equals(database.getSqlState())) {
                return database;
            }
        }
        return null;
    }

    /** The SQLSTATE of the first database error among the failure and its causes; empty when there is none. */
    private static String firstSqlState(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof DatabaseException database) {
                return sqlState(database);
            }
        }
        return "";
    }

    private static String sqlState(DatabaseException failure) {
        return failure.getSqlState() == null ? "" : failure.getSqlState();
    }
}
