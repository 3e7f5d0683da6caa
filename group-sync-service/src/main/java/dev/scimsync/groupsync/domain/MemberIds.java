package dev.scimsync.groupsync.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Member ids as IdPs send them, checked before anything is written. */
public final class MemberIds {

    /** How many offending ids an error names before it summarizes the rest. */
    private static final int NAMED_IN_ERRORS = 5;

    private MemberIds() {
    }

    /** The ids as UUIDs, in order, without duplicates; and those that are not UUIDs, as sent. */
    public static Parsed parse(Collection<String> ids) {
        Set<UUID> parsed = new LinkedHashSet<>();
        List<String> invalid = new ArrayList<>();
        for (String id : ids) {
            id(id).ifPresentOrElse(parsed::add, () -> invalid.add(id));
        }
        return new Parsed(List.copyOf(parsed), List.copyOf(invalid));
    }

    /** @param invalid the ids that are not UUIDs, which no member has */
    public record Parsed(List<UUID> ids, List<String> invalid) {

        /** Naming the ids that are not UUIDs, if any. */
        public Optional<String> error() {
            return invalid.isEmpty() ? Optional.empty() : Optional.of(notUsers(invalid));
        }
    }

    /** The member id {@code id} names, if it is one at all (a UUID, as every user id here is). */
    public static Optional<UUID> id(String id) {
        try {
            return Optional.of(UUID.fromString(id == null ? "" : id.trim()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** "member 'x' is not a user of this connection", naming up to five ids and counting the rest. */
    public static String notUsers(List<?> ids) {
        StringBuilder detail = new StringBuilder(ids.size() == 1 ? "member " : "members ");
        for (int i = 0; i < Math.min(ids.size(), NAMED_IN_ERRORS); i++) {
            detail.append(i == 0 ? "" : ", ").append('\'').append(ids.get(i)).append('\'');
        }
        if (ids.size() > NAMED_IN_ERRORS) {
            detail.append(" and ").append(ids.size() - NAMED_IN_ERRORS).append(" more");
        }
        return detail.append(ids.size() == 1 ? " is not a user" : " are not users").append(" of this connection")
                .toString();
    }
}
