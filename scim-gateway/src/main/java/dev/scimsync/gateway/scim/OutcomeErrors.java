package dev.scimsync.gateway.scim;

import dev.scimsync.contracts.CommandFailure;

/** Turns a service's protocol-neutral rejection into the SCIM status and scimType (RFC 7644 section 3.12). */
public final class OutcomeErrors {

    private OutcomeErrors() {
    }

    public static ScimException toScim(CommandFailure failure) {
        return switch (failure.reason()) {
            case UNIQUENESS -> ScimException.uniqueness(failure.detail());
            case NOT_FOUND -> ScimException.notFound(failure.detail());
            case INVALID_VALUE -> ScimException.invalidValue(failure.detail());
            case FORBIDDEN -> ScimException.forbidden(failure.detail());
            case VERSION_MISMATCH -> ScimException.preconditionFailed(failure.detail());
            case NOT_MANAGED, NO_SEATS -> new ScimException(409, null, failure.detail());
        };
    }
}
