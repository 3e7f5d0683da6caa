package dev.scimsync.audit.messaging;

import dev.scimsync.audit.persistence.AuditRecordEntity;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.UserCommand;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Records every user command and every outcome, each in its own transaction, before its offset is committed. */
@ApplicationScoped
public class AuditConsumer {

    public static final String COMMANDS = "audited-user-commands";
    public static final String OUTCOMES = "audited-outcomes";

    @Incoming(COMMANDS)
    public Uni<Void> onCommand(UserCommand command) {
        if (command == null) {
            return unreadable();
        }
        return Panache.withTransaction(() -> AuditRecordEntity.insertOnce("command", command.commandId(),
                command.connectionId(), "user." + command.type().name().toLowerCase(Locale.ROOT), null,
                json(command))).replaceWithVoid();
    }

    @Incoming(OUTCOMES)
    public Uni<Void> onOutcome(CommandOutcome outcome) {
        if (outcome == null) {
            return unreadable();
        }
        String result = outcome.status() == CommandOutcome.Status.APPLIED
                ? "applied"
                : "rejected:" + outcome.failure().reason().name().toLowerCase(Locale.ROOT);
        return Panache.withTransaction(() -> AuditRecordEntity.insertOnce("outcome", outcome.commandId(),
                outcome.connectionId(), "outcome", result, json(outcome))).replaceWithVoid();
    }

    /** Failing nacks the message, which parks it on the dead-letter topic; the consumer goes on. */
    private static Uni<Void> unreadable() {
        return Uni.createFrom().failure(new IllegalArgumentException("unreadable message"));
    }

    private static String json(Object contract) {
        return new String(ContractJson.write(contract), StandardCharsets.UTF_8);
    }
}
