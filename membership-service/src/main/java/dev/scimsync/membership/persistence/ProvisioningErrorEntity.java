package dev.scimsync.membership.persistence;

import dev.scimsync.membership.domain.SignInRefusal;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A provisioning operation that failed, kept for the connection's troubleshooting view. */
@Entity
@Table(name = "provisioning_error")
public class ProvisioningErrorEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "connection_id")
    public UUID connectionId;

    @Column(name = "command_id")
    public UUID commandId;

    @Column(name = "request_id")
    public String requestId;

    public String operation;

    @Column(name = "user_name")
    public String userName;

    public String reason;

    public String detail;

    @Column(name = "suggested_fix")
    public String suggestedFix;

    @Column(name = "occurred_at")
    public Instant occurredAt;

    /** The connection's latest errors, newest first: at most {@code limit}. */
    public static Uni<List<ProvisioningErrorEntity>> latest(UUID connectionId, int limit) {
        return ProvisioningErrorEntity.<ProvisioningErrorEntity>find("connectionId = ?1 order by occurredAt desc",
                connectionId).range(0, limit - 1).list();
    }

    /** A sign-in refused because SCIM took the user's access away. */
    public static ProvisioningErrorEntity signInRefused(UUID connectionId, String email, SignInRefusal refusal,
            Instant now) {
        ProvisioningErrorEntity error = new ProvisioningErrorEntity();
        error.id = UUID.randomUUID();
        error.connectionId = connectionId;
        // A sign-in is no command: the error's own id stands in, as for other services' reports.
        error.commandId = error.id;
        error.operation = "sign-in";
        error.userName = email;
        error.reason = refusal.reason();
        error.detail = refusal.detail();
        error.suggestedFix = refusal.suggestedFix();
        error.occurredAt = now;
        return error;
    }
}
