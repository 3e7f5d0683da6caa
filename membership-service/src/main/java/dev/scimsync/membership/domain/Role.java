package dev.scimsync.membership.domain;

import java.util.Locale;

/** A member's role in an organization, as the role-mapping extension names it. */
public enum Role {
    MEMBER, EDITOR, OWNER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** The higher of two roles by wire name (owner over editor over member), either of them null; null if both are. */
    public static String highest(String one, String other) {
        if (one == null || other == null) {
            return one == null ? other : one;
        }
        return fromWireName(one).compareTo(fromWireName(other)) >= 0 ? one : other;
    }
}
