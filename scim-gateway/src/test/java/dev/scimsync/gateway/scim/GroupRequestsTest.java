package dev.scimsync.gateway.scim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Group create and replace bodies as IdPs send them. */
class GroupRequestsTest {

    private final GroupRequests requests = ConfiguredLimits.groupRequests();
    private final RequestBodies bodies = new RequestBodies(ConfiguredLimits.load());

    private GroupRequests.Definition parse(String body) {
        return requests.parse(bodies.readJson(body.getBytes(StandardCharsets.UTF_8)));
    }

    private ScimException rejected(String body) {
        return assertThrows(ScimException.class, () -> parse(body));
    }

    @Test
    void entraCreateWithItsOwnSchemaUrnAndNullRefs() {
        GroupRequests.Definition group = parse("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group",
                            "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSchema/Group"],
                 "externalId":"8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159","displayName":"Engineers",
                 "members":[{"value":"u1","$ref":null},{"value":"u2","display":"grace","type":"User"}]}""");
        assertEquals(new GroupRequests.Definition("Engineers", "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
                List.of("u1", "u2")), group);
    }

    @Test
    void namesAreCaseInsensitiveIdAndMetaAreIgnoredAndMembersAreOptional() {
        assertEquals(new GroupRequests.Definition("Ops", null, List.of()), parse("""
                {"DISPLAYNAME":"Ops","id":"client-chosen","meta":{"resourceType":"Group"},"externalId":""}"""));
        assertEquals(new GroupRequests.Definition("Ops", null, List.of("u1")), parse("""
                {"urn:ietf:params:scim:schemas:core:2.0:Group:displayName":"Ops","members":[{"value":"u1"},{"value":"u1"}]}"""));
    }

    @Test
    void displayNameIsRequired() {
        ScimException missing = rejected("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"members\":[]}");
        assertEquals("invalidValue", missing.scimType());
        assertEquals("'displayName' is required", missing.detail());
        assertEquals("invalidValue", rejected("{\"displayName\":\"  \"}").scimType());
        assertEquals("invalidValue", rejected("{\"displayName\":42}").scimType());
    }

    @Test
    void theCoreGroupSchemaMustBeNamedWhenSchemasIsSent() {
        ScimException wrong = rejected("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"displayName\":\"x\"}");
        assertEquals("invalidValue", wrong.scimType());
        assertTrue(wrong.detail().contains("urn:ietf:params:scim:schemas:core:2.0:Group"));
    }

    @Test
    void membersNeedAStringValue() {
        assertEquals("invalidValue", rejected("{\"displayName\":\"x\",\"members\":[{\"display\":\"Ada\"}]}").scimType());
        assertEquals("invalidValue", rejected("{\"displayName\":\"x\",\"members\":[{\"value\":7}]}").scimType());
        ScimException detail = rejected("{\"displayName\":\"x\",\"members\":[{\"value\":\"u1\"},{\"value\":\"\"}]}");
        assertEquals("'members[1].value' must be the id of a User, got \"\"", detail.detail());
    }

    @Test
    void notJsonOrNotAnObjectIsInvalidSyntax() {
        assertEquals("invalidSyntax", rejected("{\"displayName\":").scimType());
        assertEquals("invalidSyntax", rejected("[]").scimType());
    }
}
