package dev.scimsync.gateway.messaging;

import dev.scimsync.contracts.CommandOutcome;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads every outcome (each gateway instance has a consumer group of its own) and hands the ones this
 * instance waits for to their requests.
 *
 * <p>Non-blocking: handing an outcome over is a map removal and a future completed, and the waiting request goes on
 * on its own Vert.x context ({@code CommandDispatcher}). Left to the signature (void), Quarkus would run each outcome
 * on a worker thread - a hand-off from the consumer's event loop to a worker and back to the request's event loop
 * for every create: without it the gateway spent about a sixth less CPU per create in paired runs
 * (docs/performance.md, "the outcomes' hop through a worker thread").
 */
@ApplicationScoped
public class OutcomeListener {

    public static final String OUTCOMES = "command-outcomes";

    private final PendingOutcomes pending;

    public OutcomeListener(PendingOutcomes pending) {
        this.pending = pending;
    }

    @Incoming(OUTCOMES)
    @NonBlocking
    public void onOutcome(CommandOutcome outcome) {
        // Unreadable records arrive as null (fail-on-deserialization-failure=false); nobody waits for them.
        if (outcome != null) {
            pending.complete(outcome);
        }
    }
}
