package dev.scimsync.membership.domain;

import dev.scimsync.contracts.TroubleshootingReport;
import java.time.Instant;

/** The fix shown beside each unknown attribute and each count of failed SCIM authentications. */
public final class TroubleshootingAdvice {

    private static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    private static final String ROLE_MAPPING = "urn:ietf:params:scim:schemas:extension:docker:2.0:User";
    private static final String NEW_TOKEN = "issue a new SCIM token (connection settings) and paste it whole into the "
            + "IdP's SCIM settings, then check that the IdP's base URL is the SCIM base URL shown there (ending in "
            + "/scim/v2).";

    private TroubleshootingAdvice() {
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
