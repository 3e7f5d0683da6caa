package dev.scimsync.membership.domain;

import java.util.List;

/** What a sign-in comes to: access to organizations, or a denial the person is told. */
public sealed interface SignInOutcome {

    /**
     * @param accountId     the account signed in to; null when JIT is off and the person is a member added by
     *                      hand (no account of the connection)
     * @param organizations the organizations the person may use, by name
     * @param ignoredGroups the sign-in's groups that place no one (not {@code organization:team} of a linked
     *                      organization)
     */
    record Granted(String accountId, List<String> organizations, List<String> ignoredGroups)
            implements SignInOutcome {
    }

    /** @param detail why, in words the person and an admin can act on */
    record Denied(String detail) implements SignInOutcome {
    }
}
