package dev.scimsync.membership.domain;

import dev.scimsync.contracts.TroubleshootingReport;
import java.time.Instant;

/**
 * The fix shown beside each unknown attribute, each count of failed SCIM authentications and each request refused
 * while the connection's SCIM was off.
 */
public final class TroubleshootingAdvice {

    private static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    private static final String ROLE_MAPPING = "urn:ietf:params:scim:schemas:extension:docker:2.0:User";
    private static final String NEW_TOKEN = "issue a new SCIM token (connection settings) and paste it whole into the "
            + "IdP's SCIM settings, then check that the IdP's base URL is the SCIM base URL shown there (ending in "
            + "/scim/v2).";

    private static final String SEND_AGAIN = "turn SCIM on (connection settings) and have the IdP send it again "
            + "(Okta: retry the application's failed provisioning tasks; Entra ID: restart provisioning)";

    private TroubleshootingAdvice() {
    }

    /**
     * A request refused because the connection's SCIM was off, with the user it names as it is now ({@code
     * userName} null: a group, no id, or no user of the connection with that id).
     */
    public static String refusedWhileScimOff(String method, String resourceType, String id, String userName,
            Boolean userActive) {
        boolean write = method.equals("PUT") || method.equals("PATCH") || method.equals("DELETE");
        String refused = "SCIM was off when the IdP sent ";
        if (TroubleshootingReport.USER.equals(resourceType) && write && id != null) {
            if (userName == null) {
                return refused + "this " + method + " of user " + id + ", and it was not applied; this connection "
                        + "has no user with that id now.";
            }
            if (Boolean.FALSE.equals(userActive)) {
                return refused + "this " + method + " of " + userName + ", and it was not applied; " + userName
                        + " has been deactivated since.";
            }
            return refused + "this " + method + " of " + userName + ", and it was not applied: " + userName
                    + " is still active here. If the IdP was deactivating or removing them, they keep their access "
                    + "until it is applied: " + SEND_AGAIN + ", or remove them by hand (the organization's members).";
        }
        if (TroubleshootingReport.USER.equals(resourceType) && write) {
            return refused + "these " + method + " requests of users, and none was applied (their ids are not "
                    + "listed: more than are kept, or no id this server gives): one that deactivated or removed "
                    + "someone left them their access. " + capitalized(SEND_AGAIN) + ".";
        }
        if (TroubleshootingReport.GROUP.equals(resourceType) && write) {
            return refused + (id == null ? "these " + method + " requests of groups" : "this " + method + " of group "
                    + id) + ", and it was not applied: a member it removed keeps the team's access until the IdP "
                    + "sends the group again - turn SCIM on and push the group again (Okta: Push Groups; Entra ID: "
                    + "restart provisioning).";
        }
        if (method.equals("POST") && resourceType != null) {
            return refused + "these creates, and none was applied: turn SCIM on, and the IdP's retried tasks or its "
                    + "next sync create them.";
        }
        return "The IdP still calls this connection (" + method + (resourceType == null ? "" : " of " + resourceType
                + "s") + ") while its SCIM is off, and is refused: turn SCIM on, or switch provisioning off in the "
                + "IdP so that it stops failing.";
    }

    private static String capitalized(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    public static String unknownAttribute(String resourceType, String name, String kind) {
        if (TroubleshootingReport.EXTENSION.equals(kind)) {
            String instead = resourceType.equals("User") ? " or map the values into an extension this server has: "
                    + ENTERPRISE + " (employeeNumber, costCenter, organization, division, department, manager) or "
                    + ROLE_MAPPING + " (dockerRole, dockerOrg, dockerTeam)" : "";
            return "The IdP sends '" + name + "', in an extension this server does not support: its values are "
                    + "dropped. Remove that mapping from the IdP's provisioning settings" + instead + ".";
        }
        return "The IdP sends '" + name + "', which the " + resourceType + " schema does not define: its value is "
                + "dropped. Remove that attribute mapping from the IdP's provisioning settings, or map the value to "
                + "an attribute the schema defines (GET /scim/v2/Schemas lists them).";
    }

    /** A token of the connection that failed; {@code revokedAt} null while the token is live. */
    public static String failedAuthentication(String tokenId, Instant revokedAt) {
        if (revokedAt != null) {
            return "The IdP still sends token " + tokenId + ", revoked at " + revokedAt + ": " + NEW_TOKEN;
        }
        return "The IdP sends token " + tokenId + " with a wrong secret (pasted incompletely or altered): " + NEW_TOKEN;
    }

    /** Failures that name no connection, by {@link TroubleshootingReport} reason. */
    public static String unattributed(String reason) {
        return switch (reason) {
            case TroubleshootingReport.MISSING -> "Requests without a bearer token: set the IdP's SCIM "
                    + "authentication to an HTTP header / bearer token holding the connection's SCIM token.";
            case TroubleshootingReport.MALFORMED -> "A bearer token that is not a SCIM token (scim_<id>_<secret>): "
                    + "the IdP holds another credential (an admin token, an OAuth token) or a truncated paste; " + NEW_TOKEN;
            default -> "A SCIM token whose id no connection has (deleted with its connection, or from another "
                    + "installation): the IdP is using a wrong token; " + NEW_TOKEN;
        };
    }
}
