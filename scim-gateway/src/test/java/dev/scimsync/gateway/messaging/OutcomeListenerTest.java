package dev.scimsync.gateway.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.Topics;
import dev.scimsync.gateway.api.GatewayTestInfrastructure;
import dev.scimsync.testsupport.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;
import io.vertx.core.Context;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/** An outcome read from Kafka reaches the request waiting for it on the consumer's event loop, not a worker. */
@QuarkusTest
@QuarkusTestResource(value = GatewayTestInfrastructure.class, restrictToAnnotatedClass = true)
class OutcomeListenerTest {

    @Inject
    PendingOutcomes pending;

    @Inject
    @Identifier(OutcomePartitions.NAME)
    OutcomePartitions partitions;

    private final KafkaTestClient kafka = KafkaTestClient.forQuarkusTest();

    @Test
    void anOutcomeIsHandedOverOnAnEventLoopThread() throws Exception {
        // The outcome consumer starts at the latest offset: an outcome sent before it has its partitions is missed.
        await().atMost(Duration.ofSeconds(20))
                .until(() -> partitions.call().getStatus() == HealthCheckResponse.Status.UP);
        UUID commandId = UUID.randomUUID();
        // Registered before the outcome is sent: the stage below runs on the thread that completes the wait.
        CompletableFuture<String> completedOn = pending.register(commandId).thenApply(outcome -> Thread.currentThread()
                .getName() + (Context.isOnEventLoopThread() ? " (event loop)" : " (not an event loop)"));
        CommandOutcome outcome = new CommandOutcome(commandId, GatewayTestInfrastructure.OTHER_CONNECTION_ID,
                CommandOutcome.Status.APPLIED, null, null, true, null, Instant.now());
        kafka.send(Topics.COMMAND_OUTCOMES, outcome.connectionId(), outcome);

        String thread = completedOn.get(20, TimeUnit.SECONDS);
        assertTrue(thread.startsWith("vert.x-eventloop-thread-") && thread.endsWith(" (event loop)"), thread);
        assertEquals(0, pending.size(), "the wait is removed when its outcome arrives");
    }
}
