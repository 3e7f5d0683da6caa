package dev.scimsync.membership.domain;

import java.util.Locale;

/** How a member came into an organization; SCIM may change only members whose source is SCIM. */
public enum MemberSource {
    SCIM, JIT, MANUAL, INVITE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
