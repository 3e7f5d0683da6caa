package dev.scimsync.membership.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
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
}
