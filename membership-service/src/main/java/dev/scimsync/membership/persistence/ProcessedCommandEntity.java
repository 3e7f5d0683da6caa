package dev.scimsync.membership.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.ContractJson;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** Remembers each command's outcome, written in the transaction that applied it. */
@Entity
@Table(name = "processed_command")
public class ProcessedCommandEntity extends PanacheEntityBase {

    @Id
    @Column(name = "command_id")
    public UUID commandId;

    @Column(name = "connection_id")
    public UUID connectionId;

    @JdbcTypeCode(SqlTypes.JSON)
    public JsonNode outcome;

    @Column(name = "processed_at")
    public Instant processedAt;

    public static ProcessedCommandEntity of(UUID connectionId, CommandOutcome outcome) {
        ProcessedCommandEntity processed = new ProcessedCommandEntity();
        processed.commandId = outcome.commandId();
        processed.connectionId = connectionId;
        processed.outcome = ContractJson.mapper().valueToTree(outcome);
        processed.processedAt = outcome.completedAt();
        return processed;
    }

    public CommandOutcome toOutcome() {
        return ContractJson.mapper().convertValue(outcome, CommandOutcome.class);
    }
}
