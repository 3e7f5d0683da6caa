package dev.scimsync.membership.api;

import java.util.Optional;
import java.util.UUID;

/** Ids in paths come from IdPs, which probe with made-up ones: a malformed id is simply not found. */
final class Uuids {

    private Uuids() {
    }

    static Optional<UUID> parse(String value) {
        try {
            return Optional.of(UUID.fromString(value));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }
}
