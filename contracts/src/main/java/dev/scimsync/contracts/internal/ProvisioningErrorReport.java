package dev.scimsync.contracts.internal;

/**
 * Another service's problem with a connection's provisioning, kept and shown with the connection's provisioning
 * errors ({@code POST /internal/v1/connections/{connectionId}/provisioning-errors} on membership-service, 201).
 * group-sync reports the group commands it rejects.
 *
 * @param commandId    the command that failed (a new id is used when it is not a UUID)
 * @param subject      what the command was about, as the admin knows it (a group's display name)
 * @param reason       required
 * @param detail       required
 * @param suggestedFix what the admin can do about it, or null
 */
public record ProvisioningErrorReport(String commandId, String requestId, String operation, String subject,
        String reason, String detail, String suggestedFix) {
}
