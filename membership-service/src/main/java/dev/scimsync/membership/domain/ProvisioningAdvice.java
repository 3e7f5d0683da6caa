package dev.scimsync.membership.domain;

import dev.scimsync.contracts.CommandFailure;

/** The suggested fix shown beside each provisioning error. */
public final class ProvisioningAdvice {

    private ProvisioningAdvice() {
    }

    public static String suggestedFix(CommandFailure.Reason reason) {
        return switch (reason) {
            case UNIQUENESS -> "A user with this userName already exists: let the IdP link to it (Okta and Entra ID "
                    + "look users up by userName), or rename one of them.";
            case NOT_FOUND -> "The user is unknown here (deleted, or never provisioned): re-provision it from the IdP.";
            case INVALID_VALUE -> "Correct the attribute in the IdP's mapping (see the detail), then retry.";
            case FORBIDDEN -> "Enable SCIM on the connection in the admin console.";
            case VERSION_MISMATCH -> "The user changed meanwhile: the IdP retries with a fresh read.";
            case NOT_MANAGED -> "The member was added by hand or invited, by JIT sign-in before SCIM, or through another "
                    + "connection of the organization: remove them by hand (or unassign them from that connection's "
                    + "IdP), or run the JIT-to-SCIM migration so that SCIM adopts this connection's JIT members.";
            case NO_SEATS -> "Not enough seats in the organization: add seats or remove members.";
        };
    }
}
