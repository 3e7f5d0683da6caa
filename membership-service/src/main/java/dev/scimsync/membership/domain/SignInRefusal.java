package dev.scimsync.membership.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Why a person the IdP authenticated is still refused at sign-in: SCIM took their access away. Access follows
 * SCIM's state whatever the sign-in would otherwise do (JIT, a pending invitation, an existing membership), so
 * the refusal is decided before anything is created or accepted.
 *
 * @param reason the provisioning error's reason (DEACTIVATED, REMOVED or REMOVED_BY_ADMIN)
 * @param detail the answer to the sign-in, naming the user, what the IdP did and when
 * @param suggestedFix what the admin can do, shown with the provisioning error
 */
public record SignInRefusal(String reason, String detail, String suggestedFix) {

    /**
     * A SCIM-managed account the IdP deactivated is refused; JIT, invited and manual accounts have no IdP state
     * to follow.
     *
     * @param otherConnection the connection whose IdP deactivated the account, when it is not the sign-in's; else null
     */
    public static Optional<SignInRefusal> forAccount(String email, String source, boolean active,
            Instant deactivatedAt, String otherConnection) {
        if (active || !MemberSource.SCIM.wireName().equals(source)) {
            return Optional.empty();
        }
        String idp = otherConnection == null ? "the IdP" : "the IdP of connection " + otherConnection;
        return Optional.of(new SignInRefusal("DEACTIVATED", "access denied: " + email
                + " was deactivated by the identity provider (SCIM)"
                + (otherConnection == null ? "" : " of connection " + otherConnection) + " on " + deactivatedAt
                + "; re-activate the user in " + idp + " to restore access",
                "The IdP deactivated this user, so sign-ins are refused: re-activate the user in " + idp
                        + " to restore access (nothing to do if the refusal is intended)."));
    }

    /**
     * With no account, a userName SCIM removed from the connection ({@code removedAt}, null if it did not) is
     * refused: JIT or an invitation would otherwise create the person again.
     */
    public static Optional<SignInRefusal> forRemoval(String email, Instant removedAt) {
        return forRemoval(email, removedAt, null);
    }

    /**
     * As {@link #forRemoval(String, Instant)}, for a removal by {@code otherConnection}'s IdP (null: the sign-in's
     * own): JIT through a second IdP of the organization would otherwise create the person again.
     */
    public static Optional<SignInRefusal> forRemoval(String email, Instant removedAt, String otherConnection) {
        if (removedAt == null) {
            return Optional.empty();
        }
        String idp = otherConnection == null ? "the IdP" : "the IdP of connection " + otherConnection;
        return Optional.of(new SignInRefusal("REMOVED", "access denied: " + email
                + " was removed by the identity provider (SCIM)"
                + (otherConnection == null ? "" : " of connection " + otherConnection) + " on " + removedAt
                + "; assign the user to the app in " + idp + " again to restore access",
                otherConnection == null
                        ? "SCIM removed this user, so sign-ins are refused instead of creating them again by JIT or an "
                                + "invitation: assign the user to the app in the IdP again, which provisions them "
                                + "anew, to restore access (nothing to do if the refusal is intended)."
                        : "The SCIM of connection " + otherConnection + " removed this user, so JIT through this "
                                + "connection does not create them again: assign the user to the app in " + idp
                                + " again, or invite them to the organization, to restore access (nothing to do if "
                                + "the refusal is intended)."));
    }

    /**
     * A person an admin removed by hand from every organization the sign-in would place them in: the sign-in does not
     * undo the admin's act, which only an admin's add or invitation does.
     */
    public static SignInRefusal forAdminRemoval(String email, List<String> organizations) {
        String names = String.join(", ", organizations);
        return new SignInRefusal("REMOVED_BY_ADMIN", "access denied: " + email + " was removed from organization "
                + names + " by an admin; an admin can add them back",
                "An admin removed this person from " + names + " by hand, so sign-ins do not place them there again: "
                        + "add them back by hand, or invite them, if they should have access (nothing to do if the "
                        + "refusal is intended).");
    }
}
