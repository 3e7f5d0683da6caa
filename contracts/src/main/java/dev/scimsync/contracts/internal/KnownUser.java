package dev.scimsync.contracts.internal;

/** A user found by a {@link UserLookup}. */
public record KnownUser(String id, String userName, boolean active, long version) {
}
