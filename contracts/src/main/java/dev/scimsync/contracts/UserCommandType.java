package dev.scimsync.contracts;

/** What a {@link UserCommand} asks membership-service to do. */
public enum UserCommandType {
    /** A new user with the given profile. */
    CREATE,
    /** The user's whole profile becomes the given one (SCIM PUT, and PATCH after the gateway applied it). */
    REPLACE,
    /** The user leaves the organization and is forgotten by the connection. */
    DELETE
}
