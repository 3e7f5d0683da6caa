package dev.scimsync.contracts;

/** What a {@link GroupCommand} does to its group. */
public enum GroupCommandType {
    /** A new group, from its display name, external id and members. */
    CREATE,
    /** The whole group replaced (SCIM PUT). */
    REPLACE,
    /** Edits applied in order to the stored group (SCIM PATCH), without the gateway reading the members. */
    MODIFY,
    DELETE
}
