package dev.scimsync.gateway.messaging;

import dev.scimsync.contracts.CommandOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests waiting for their command's outcome. A wait is registered before its command is sent, so an
 * outcome that arrives faster than the send's acknowledgement still finds it.
 */
@ApplicationScoped
public class PendingOutcomes {

    private final Map<UUID, CompletableFuture<CommandOutcome>> waiting = new ConcurrentHashMap<>();

    public CompletableFuture<CommandOutcome> register(UUID commandId) {
        CompletableFuture<CommandOutcome> outcome = new CompletableFuture<>();
        waiting.put(commandId, outcome);
        return outcome;
    }

    /** Completes the matching wait; outcomes of other gateway instances' commands are ignored. */
    public void complete(CommandOutcome outcome) {
        CompletableFuture<CommandOutcome> wait = waiting.remove(outcome.commandId());
        if (wait != null) {
            wait.complete(outcome);
        }
    }

    public void forget(UUID commandId) {
        waiting.remove(commandId);
    }

    public int size() {
        return waiting.size();
    }
}
