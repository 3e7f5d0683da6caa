package dev.scimsync.gateway.console.view;

import io.quarkus.qute.TemplateData;
import java.time.Instant;

/** An operation of the IdP's that a connection could not apply, and how to put it right. */
@TemplateData
public record ProvisioningError(Instant occurredAt, String operation, String userName, String requestId,
        String reason, String detail, String suggestedFix) {
}
