package dev.scimsync.contracts;

/**
 * Why a command was rejected. The reason is protocol-neutral; the gateway maps it to an HTTP status
 * and a SCIM {@code scimType}.
 */
public record CommandFailure(Reason reason, String detail) {

    public enum Reason {
        /** A unique attribute is already taken. */
        UNIQUENESS,
        /** The target does not exist. */
        NOT_FOUND,
        /** A value is not acceptable. */
        INVALID_VALUE,
        /** The caller may not do this (e.g. SCIM disabled on the connection). */
        FORBIDDEN,
        /** The target is not at the version the command expected (If-Match). */
        VERSION_MISMATCH,
        /** The target exists but is not SCIM's to change (added by hand, or by JIT before SCIM). */
        NOT_MANAGED,
        /** The organization has no free seat. */
        NO_SEATS
    }
}
