package dev.scimsync.gateway.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.gateway.scim.ScimException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** What the IdP hears when Kafka does not take a command, and where the end of a wait is handed back. */
class CommandDispatcherTest {

    @Test
    void aRecordKafkaRefusesForItsSizeIs413AndNeverA503() {
        for (Throwable refused : new Throwable[] {
                new RecordTooLargeException("The message is 2000123 bytes when serialized which is larger than 1048576"),
                new CompletionException(new RecordTooLargeException("The request included a message larger than "
                        + "the max message size the server will accept.")),
                new RecordBatchTooLargeException("The request included message batch larger than the configured "
                        + "segment size on the server.")}) {
            ScimException answer = CommandDispatcher.publishFailure(refused);
            assertEquals(413, answer.status(), refused.toString());
            assertEquals("the request makes a command larger than the message broker accepts", answer.detail());
            assertTrue(answer.retryAfterSeconds().isEmpty());
        }
    }

    @Test
    void aBrokerThatIsAwayIs503WithRetryAfter() {
        ScimException answer = CommandDispatcher.publishFailure(new TimeoutException("Topic not present in metadata"));
        assertEquals(503, answer.status());
        assertEquals(5, answer.retryAfterSeconds().getAsInt());
    }

    @Test
    void aCommandBudgetTheProducerWouldNotSendStopsTheStart() {
        CommandDispatcher.requireBelow("scim.limits.group-command-bytes", 1_000_000, "group-commands", 1_048_576);

        IllegalStateException tooLarge = assertThrows(IllegalStateException.class, () -> CommandDispatcher.requireBelow(
                "scim.limits.group-command-bytes", 1_040_000, "group-commands", 1_048_576));
        assertEquals("scim.limits.group-command-bytes (1040000) leaves less than 16384 bytes below the "
                + "max.request.size of group-commands (1048576)", tooLarge.getMessage());
    }

    @Test
    void whatEndsAWaitIsHandedBackToTheRequestsOwnContext() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Context request = vertx.getOrCreateContext();
            CompletableFuture<Executor> captured = new CompletableFuture<>();
            request.runOnContext(ignored -> captured.complete(CommandDispatcher.onTheCallersContext()));
            Executor backToTheCaller = captured.get(5, TimeUnit.SECONDS);

            // The outcome arrives on another thread (the Kafka consumer's); the task must run on the request's context.
            CompletableFuture<Context> ranOn = new CompletableFuture<>();
            Thread consumer = new Thread(() -> backToTheCaller.execute(() -> ranOn.complete(Vertx.currentContext())));
            consumer.start();
            assertSame(request, ranOn.get(5, TimeUnit.SECONDS));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void withoutAContextTheTaskRunsAtOnce() {
        Thread[] ranOn = new Thread[1];
        CommandDispatcher.onTheCallersContext().execute(() -> ranOn[0] = Thread.currentThread());
        assertSame(Thread.currentThread(), ranOn[0]);
    }
}
