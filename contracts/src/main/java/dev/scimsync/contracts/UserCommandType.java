package dev.scimsync.contracts;

/** What a {@link UserCommand} asks membership-service to do. */
public enum UserCommandType {
    CREATE
}
