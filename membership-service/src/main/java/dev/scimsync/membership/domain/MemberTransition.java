package dev.scimsync.membership.domain;

import dev.scimsync.contracts.UserCommand;
import dev.scimsync.contracts.UserCommandType;
import java.util.Locale;

/**
 * The member lifecycle: which change a SCIM user command makes to a member, in the words the IdP guides and the
 * admin console use. SCIM itself has three verbs (POST, PUT/PATCH, DELETE); a deactivation is a PUT or PATCH that
 * sets {@code active} to false. {@link UserCommandBatch} decides the transition of each command and applies it
 * with the method of the same name; docs/architecture.md ("Member lifecycle") follows each one to its events.
 */
public enum MemberTransition {
    /** POST /Users: a new account (or, after the JIT-to-SCIM migration, the adoption of a JIT one). */
    CREATE,
    /** PUT or PATCH that leaves {@code active} as it was: profile, userName and placement (a move) follow the IdP. */
    UPDATE_PROFILE,
    /** PUT or PATCH with {@code active: false} on an active account: it keeps its places but loses seats and access. */
    DEACTIVATE,
    /** PUT or PATCH with {@code active: true} on a deactivated account: it takes seats and access again. */
    REACTIVATE,
    /** DELETE /Users/{id}: the account leaves every organization and is forgotten by the connection. */
    REMOVE;

    /**
     * The transition of a command of {@code type} on an account that is active {@code activeBefore} and is asked to
     * be active {@code activeAfter}.
     */
    public static MemberTransition of(UserCommandType type, boolean activeBefore, boolean activeAfter) {
        return switch (type) {
            case CREATE -> CREATE;
            case DELETE -> REMOVE;
            case REPLACE -> activeBefore == activeAfter ? UPDATE_PROFILE : activeAfter ? REACTIVATE : DEACTIVATE;
        };
    }

    /**
     * Whether the command can take access away, known before its account is read: a removal, or a replace with
     * {@code active: false}. The batch reads the mass-deprovisioning guard of such commands' connections (and of
     * those whose user has a deactivation held: {@link UserCommandBatch#guardedConnections}).
     */
    public static boolean mayDeprovision(UserCommand command) {
        return command.type() == UserCommandType.DELETE
                || command.type() == UserCommandType.REPLACE && !command.profile().active();
    }

    /** As {@code held_change.kind} stores it (V15): {@code deactivate}, {@code remove}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static MemberTransition ofWireName(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT));
    }
}
