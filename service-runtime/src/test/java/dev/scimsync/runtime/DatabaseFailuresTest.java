package dev.scimsync.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import java.util.stream.Stream;
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
}
