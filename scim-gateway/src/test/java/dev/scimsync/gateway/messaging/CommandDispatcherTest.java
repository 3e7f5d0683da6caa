package dev.scimsync.gateway.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.UserSnapshot;
import dev.scimsync.gateway.scim.ScimException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
    void noAnswerComesWhileTheCommandIsStillInTheProducer() {
        // Kafka takes the command only after the outcome's wait is over: the owner is asked after the send, not before.
        AtomicBoolean taken = new AtomicBoolean();
        AtomicBoolean takenWhenAsked = new AtomicBoolean();
        Uni<Void> slowSend = Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(300))
                .invoke(() -> taken.set(true));
        ScimException answer = assertThrows(ScimException.class, () -> CommandDispatcher.outcomeOnceSent(slowSend,
                new CompletableFuture<>(), Duration.ofSeconds(5), Duration.ofMillis(50), () -> {
                    takenWhenAsked.set(taken.get());
                    return Uni.createFrom().failure(ScimException.unavailable("not yet applied", 5));
                }).await().atMost(Duration.ofSeconds(5)));
        assertEquals("not yet applied", answer.detail());
        assertTrue(takenWhenAsked.get(), "the owner was asked while the command could still reach the topic");
    }

    @Test
    void aSendRefusedAfterTheWaitIs503AndTheOwnerIsNotAsked() {
        AtomicBoolean asked = new AtomicBoolean();
        Uni<Void> refusedLate = Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(300))
                .chain(() -> Uni.createFrom().failure(new TimeoutException("Expiring 1 record(s): 7000 ms has passed")));
        ScimException answer = assertThrows(ScimException.class, () -> CommandDispatcher.outcomeOnceSent(refusedLate,
                new CompletableFuture<>(), Duration.ofSeconds(5), Duration.ofMillis(50), () -> {
                    asked.set(true);
                    return Uni.createFrom().nullItem();
                }).await().atMost(Duration.ofSeconds(5)));
        assertEquals(503, answer.status());
        assertEquals("the request could not be queued; retry later", answer.detail());
        assertFalse(asked.get());
    }

    @Test
    void anOutcomeThatArrivedBeforeTheSendsAcknowledgementIsTheAnswer() {
        CommandOutcome applied = CommandOutcome.applied(UUID.randomUUID(), "acme-sso", (UserSnapshot) null);
        Uni<Void> slowSend = Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(100));
        assertSame(applied, CommandDispatcher.outcomeOnceSent(slowSend, CompletableFuture.completedFuture(applied),
                Duration.ofSeconds(5), Duration.ofMillis(50), () -> Uni.createFrom().failure(
                        new AssertionError("the owner was asked"))).await().atMost(Duration.ofSeconds(5)));
    }

    @Test
    void aSendThatNeverResolvesIs503AfterTheSendLimitNotAHang() {
        ScimException answer = assertThrows(ScimException.class, () -> CommandDispatcher.outcomeOnceSent(
                Uni.createFrom().nothing(), new CompletableFuture<>(), Duration.ofMillis(100), Duration.ofMillis(50),
                () -> Uni.createFrom().failure(new AssertionError("the owner was asked"))).await()
                .atMost(Duration.ofSeconds(5)));
        assertEquals(503, answer.status());
    }

    @Test
    void aSendThatFailedAfterItsCommandWasAppliedIsAnsweredWithTheOutcome() {
        CommandOutcome applied = CommandOutcome.applied(UUID.randomUUID(), "acme-sso", (UserSnapshot) null);
        Uni<Void> lateFailure = Uni.createFrom().failure(new TimeoutException("Expiring 1 record(s): 7000 ms"));
        assertSame(applied, CommandDispatcher.outcomeOnceSent(lateFailure, CompletableFuture.completedFuture(applied),
                Duration.ofSeconds(5), Duration.ofMillis(50), () -> Uni.createFrom().failure(
                        new AssertionError("the owner was asked"))).await().atMost(Duration.ofSeconds(5)));
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
