package dev.scimsync.gateway.scim.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimsync.gateway.scim.ConfiguredLimits;
import dev.scimsync.gateway.scim.ScimException;
import dev.scimsync.gateway.scim.ScimLimits;
import dev.scimsync.gateway.scim.UnknownAttributes;
import dev.scimsync.gateway.scim.UserRequests;
import dev.scimsync.gateway.scim.schema.ResourceType;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PatchRequestTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ScimLimits LIMITS = ConfiguredLimits.load();
    private static final String PATCH_OP = "{\"schemas\":[\"" + PatchOperation.PATCH_OP + "\"],\"Operations\":%s}";
    private static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    private static final String CUSTOM = "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User";

    private static PatchRequest parse(ResourceType type, String operations) throws Exception {
        return PatchRequest.parse(JSON.readTree(PATCH_OP.formatted(operations)), type, LIMITS.patchOperations());
    }

    private static String listed(List<UnknownAttributes.Found> found) {
        return found.isEmpty() ? "-" : String.join(", ", found.stream().map(f -> f.kind() + " " + f.name()).toList());
    }

    /**
     * Entra ID sends a user's changes as one PATCH, a deactivation beside an attribute mapped to a custom extension
     * this server does not define: the deactivation is applied and the attribute dropped and listed for the admin,
     * as the same attribute in the user's POST was. Refusing the request would leave the person's access in place
     * (and Entra ID quarantines a job whose updates keep failing).
     */
    @Test
    void aDeactivationBesideAnUndefinedAttributeIsApplied() throws Exception {
        PatchRequest request = parse(ResourceType.USER, """
                [{"op":"Replace","path":"active","value":"False"},
                 {"op":"Add","path":"%s:costCenter","value":"CC-12"}]""".formatted(CUSTOM));

        assertEquals(1, request.operations().size());
        assertEquals("extension " + CUSTOM + ":costCenter", listed(request.unknown()));
        ObjectNode user = (ObjectNode) JSON.readTree("{\"userName\":\"ada@example.com\",\"active\":true}");
        ObjectNode patched = new UserPatcher(new UserRequests(LIMITS), LIMITS).apply(user, request.operations());
        assertFalse(patched.get("active").booleanValue());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"op\":\"replace\",\"path\":\"nope\",\"value\":1}                               | attribute nope",
            "{\"op\":\"replace\",\"path\":\"name.nope\",\"value\":1}                          | attribute name.nope",
            "{\"op\":\"add\",\"path\":\"emails[type eq \\\"work\\\"].label\",\"value\":\"x\"} | attribute emails.label",
            "{\"op\":\"remove\",\"path\":\"urn:ietf:params:scim:schemas:core:2.0:User:nickname2\"} | attribute urn:ietf:params:scim:schemas:core:2.0:User:nickname2",
            "{\"op\":\"add\",\"path\":\"" + ENTERPRISE + ":badge\",\"value\":\"b\"}           | attribute " + ENTERPRISE + ":badge",
            "{\"op\":\"add\",\"path\":\"" + CUSTOM + "\",\"value\":{\"costCenter\":\"x\"}}     | extension " + CUSTOM,
            "{\"op\":\"add\",\"path\":\"urn:acme:User:x\",\"value\":1}                        | extension urn:acme:User:x",
    })
    void anOperationOnAnUndefinedPathIsDroppedAndListed(String operation, String expected) throws Exception {
        PatchRequest request = parse(ResourceType.USER, "[" + operation + ",{\"op\":\"replace\",\"path\":\"title\",\"value\":\"t\"}]");

        assertEquals(List.of("title"), request.operations().stream().map(o -> o.path().text()).toList());
        assertEquals(expected, listed(request.unknown()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // Entra ID's path-less replace with dotted and URN-qualified keys; Okta's with the id.
            "[{\"op\":\"Replace\",\"value\":{\"id\":\"x\",\"active\":false,\"name.givenName\":\"A\",\"" + ENTERPRISE + ":department\":\"d\"}}] | -",
            "[{\"op\":\"add\",\"value\":{\"nickname2\":\"n\"}},{\"op\":\"replace\",\"path\":\"title\",\"value\":\"t\"},{\"op\":\"add\",\"value\":{\"nickname2\":\"m\",\"urn:acme:User:x\":1}}] | attribute nickname2, extension urn:acme:User:x",
    })
    void theUnknownKeysOfPathlessValuesAreListed(String operations, String expected) throws Exception {
        PatchRequest request = parse(ResourceType.USER, operations);

        assertEquals(expected, listed(request.unknown()));
        assertEquals(JSON.readTree(operations).size(), request.operations().size(), "path-less operations are kept");
    }

    @Test
    void aGroupsUndefinedAttributeIsDroppedAndListed() throws Exception {
        PatchRequest request = parse(ResourceType.GROUP, """
                [{"op":"replace","path":"title","value":"x"},{"op":"replace","path":"displayName","value":"g"}]""");

        assertEquals(List.of("displayName"), request.operations().stream().map(o -> o.path().text()).toList());
        assertEquals("attribute title", listed(request.unknown()));
    }

    /** What is malformed, or not the IdP's to change, is still refused: only what the schemas lack is dropped. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"op\":\"replace\",\"path\":\"emails[type eq\",\"value\":1}                      | invalidPath",
            "{\"op\":\"replace\",\"path\":\"title[value eq \\\"x\\\"]\",\"value\":1}         | invalidPath",
            "{\"op\":\"replace\",\"path\":\"" + ENTERPRISE + "\",\"value\":{}}               | invalidPath",
            "{\"op\":\"replace\",\"path\":\"id\",\"value\":\"x\"}                              | mutability",
            "{\"op\":\"replace\",\"path\":\"groups\",\"value\":[]}                             | mutability",
    })
    void aMalformedPathIsStillRefused(String operation, String scimType) {
        ScimException refused = assertThrows(ScimException.class, () -> parse(ResourceType.USER, "[" + operation + "]"));
        assertEquals(scimType, refused.scimType(), refused::detail);
    }
}
