package dev.scimsync.gateway.messaging;

import dev.scimsync.contracts.CommandOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads every outcome (each gateway instance has a consumer group of its own) and hands the ones this
 * instance waits for to their requests.
 */
@ApplicationScoped
public class OutcomeListener {

    public static final String OUTCOMES = "command-outcomes";

    private final PendingOutcomes pending;

    public OutcomeListener(PendingOutcomes pending) {
        this.pending = pending;
    }

    @Incoming(OUTCOMES)
    public void onOutcome(CommandOutcome outcome) {
        // Unreadable records arrive as null (fail-on-deserialization-failure=false); nobody waits for them.
        if (outcome != null) {
            pending.complete(outcome);
        }
    }
}
