package dev.scimsync.gateway.console.view;

import io.quarkus.qute.TemplateData;
import java.time.Instant;

/**
 * An operation of the IdP's that a connection could not apply, and how to put it right; {@code count} times since
 * {@code firstSeen} when the IdP repeated it ({@code occurredAt} and {@code requestId} are the latest's).
 */
@TemplateData
public record ProvisioningError(Instant occurredAt, String operation, String userName, String requestId,
        String reason, String detail, String suggestedFix, int count, Instant firstSeen) {
}
