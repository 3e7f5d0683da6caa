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
}
