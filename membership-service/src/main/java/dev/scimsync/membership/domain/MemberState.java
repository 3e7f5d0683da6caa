package dev.scimsync.membership.domain;

import java.util.Locale;

/** A deactivated member keeps its place (and history) but has no access. */
public enum MemberState {
    ACTIVE, DEACTIVATED;

    public static MemberState of(boolean active) {
        return active ? ACTIVE : DEACTIVATED;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
