package dev.scimsync.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which failures the data causes (not worth a retry) and which the database causes (worth one). */
class DatabaseFailuresTest {

    private static PgException postgres(String sqlState) {
        return new PgException("refused", "ERROR", sqlState, null);
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("unique clash", postgres("23505"), true, false),
                Arguments.of("a value PostgreSQL cannot store", postgres("22P05"), true, false),
                Arguments.of("a size limit", postgres("54000"), true, false),
                Arguments.of("wrapped", new RuntimeException(postgres("23503")), true, false),
                Arguments.of("our code threw on it", new IllegalStateException("bug"), true, false),
                Arguments.of("server shutting down", postgres("57P01"), false, false),
                Arguments.of("statement cancelled (its timeout)", postgres("57014"), false, false),
                Arguments.of("database closed to connections", postgres("55000"), false, false),
                Arguments.of("deadlock", postgres("40P01"), false, true),
                Arguments.of("serialization failure", postgres("40001"), false, true),
                Arguments.of("connection closed", new VertxException("Connection is closed"), false, false),
                Arguments.of("connection refused", new RuntimeException(new ConnectException("refused")), false, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void tellsTheDataFromTheDatabase(String name, Throwable failure, boolean causedByTheData, boolean conflict) {
        assertEquals(causedByTheData, DatabaseFailures.causedByTheData(failure));
        assertEquals(conflict, DatabaseFailures.conflict(failure));
    }

    @Test
    void tellsAStatementCancelled() {
        assertTrue(DatabaseFailures.cancelled(postgres("57014")));
        assertTrue(DatabaseFailures.cancelled(new RuntimeException(postgres("57014"))));
        assertFalse(DatabaseFailures.cancelled(postgres("57P01")));
        assertFalse(DatabaseFailures.cancelled(new IllegalStateException("57014")));
        assertFalse(DatabaseFailures.cancelled(null));
    }

    static Stream<Arguments> uniqueViolations() {
        return Stream.of(
                Arguments.of("direct", postgres("23505"), true),
                Arguments.of("wrapped", new RuntimeException(postgres("23505")), true),
                Arguments.of("wrapped twice", new IllegalStateException(new RuntimeException(postgres("23505"))), true),
                Arguments.of("another integrity violation (foreign key)", postgres("23503"), false),
                Arguments.of("a deadlock", postgres("40P01"), false),
                Arguments.of("no SQLSTATE", new PgException("refused", "ERROR", null, null), false),
                Arguments.of("not a database failure", new IllegalStateException("23505"), false),
                Arguments.of("null", null, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("uniqueViolations")
    void tellsAUniqueViolation(String name, Throwable failure, boolean uniqueViolation) {
        assertEquals(uniqueViolation, DatabaseFailures.uniqueViolation(failure));
    }

    @Test
    void tellsWhichConstraintAUniqueViolationBroke() {
        PgException displayName = new PgException(
                "duplicate key value violates unique constraint \"scim_group_display_name\"", "ERROR", "23505", null);
        assertTrue(DatabaseFailures.uniqueViolation(displayName, "scim_group_display_name"));
        assertTrue(DatabaseFailures.uniqueViolation(new RuntimeException(displayName), "scim_group_display_name"));
        assertFalse(DatabaseFailures.uniqueViolation(displayName, "scim_group_external_id"));
        assertFalse(DatabaseFailures.uniqueViolation(new PgException(
                "insert or update violates foreign key constraint \"scim_group_display_name\"", "ERROR", "23503", null),
                "scim_group_display_name"));
        assertFalse(DatabaseFailures.uniqueViolation(null, "scim_group_display_name"));
    }
}
