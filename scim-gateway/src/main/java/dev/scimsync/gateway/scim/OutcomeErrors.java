package dev.scimsync.gateway.scim;

import dev.scimsync.contracts.CommandFailure;
import dev.scimsync.contracts.CommandOutcome;

/** Turns a service's protocol-neutral rejection into the SCIM status and scimType (RFC 7644 section 3.12). */
public final class OutcomeErrors {

    private OutcomeErrors() {
    }

    /** The outcome of an applied command; a rejected one is thrown as its SCIM error. */
    public static CommandOutcome applied(CommandOutcome outcome) {
        if (outcome.status() == CommandOutcome.Status.REJECTED) {
            throw toScim(outcome.failure());
        }
        return outcome;
    }

    public static ScimException toScim(CommandFailure failure) {
        return switch (failure.reason()) {
            case UNIQUENESS -> ScimException.uniqueness(failure.detail());
            case NOT_FOUND -> ScimException.notFound(failure.detail());
            case INVALID_VALUE -> ScimException.invalidValue(failure.detail());
            case FORBIDDEN -> ScimException.forbidden(failure.detail());
            case VERSION_MISMATCH -> ScimException.preconditionFailed(failure.detail());
            // Not 409: Okta and Entra read a 409 on a create as "the user exists" and try to link it, and the admin
            // never learns that seats ran out. 403 is shown as a failure with this reason, and retried later.
            case NO_SEATS -> ScimException.forbidden(failure.detail());
            case NOT_MANAGED -> new ScimException(409, null, failure.detail());
        };
    }
}
