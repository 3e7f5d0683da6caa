package dev.scimsync.groupsync.messaging;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.contracts.CommandFailure.Reason;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** Which failures reject the one command (its fault) and which retry the poll (the database's). */
class GroupCommandFailuresTest {

    private static PgException postgres(String sqlState) {
        return new PgException("refused", "ERROR", sqlState, null);
    }

    @Test
    void whatTheCommandCausesRejectsIt() {
        assertTrue(GroupCommandApplier.causedByTheCommand(new GroupCommandApplier.Rejection(Reason.NOT_FOUND, "x")));
        assertTrue(GroupCommandApplier.causedByTheCommand(postgres("23505")), "unique clash");
        assertTrue(GroupCommandApplier.causedByTheCommand(postgres("22P05")), "a value PostgreSQL cannot store");
        assertTrue(GroupCommandApplier.causedByTheCommand(postgres("54000")), "a size limit");
        assertTrue(GroupCommandApplier.causedByTheCommand(new IllegalStateException("our code threw on it")),
                "it would throw on every retry and stop the partition");
    }

    @Test
    void whatTheDatabaseCausesIsRetried() {
        assertFalse(GroupCommandApplier.causedByTheCommand(postgres("57P01")), "server shutting down");
        assertFalse(GroupCommandApplier.causedByTheCommand(postgres("55000")), "database closed to connections");
        assertFalse(GroupCommandApplier.causedByTheCommand(postgres("40P01")), "deadlock");
        assertFalse(GroupCommandApplier.causedByTheCommand(new PgException("duplicate key value violates unique "
                + "constraint \"processed_command_pkey\"", "ERROR", "23505", null)), "recorded by another consumer");
        assertFalse(GroupCommandApplier.causedByTheCommand(new VertxException("Connection is closed")));
        assertFalse(GroupCommandApplier.causedByTheCommand(new RuntimeException(new ConnectException("refused"))));
    }
}
