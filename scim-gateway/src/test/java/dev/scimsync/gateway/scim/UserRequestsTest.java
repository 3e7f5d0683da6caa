package dev.scimsync.gateway.scim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.contracts.UserProfile;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class UserRequestsTest {

    private final UserRequests requests = ConfiguredLimits.userRequests();
    private final RequestBodies bodies = new RequestBodies(ConfiguredLimits.load());

    /** As a create reads a body: a user is created active unless it says otherwise. */
    private UserProfile parse(String json) {
        return requests.toProfile(requests.parse(bodies.readJson(json.getBytes(StandardCharsets.UTF_8))), true);
    }

    private ScimException rejected(String json) {
        return assertThrows(ScimException.class, () -> parse(json));
    }

    @Test
    void keepsWritableAttributesAndDropsServerAssignedAndReadOnlyOnes() {
        UserProfile profile = parse("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"x","meta":{"created":"y"},
                 "userName":" ada@example.com ","externalId":"e1","password":"secret","groups":[{"value":"g"}],
                 "name":{"givenName":"Ada"},"title":"Countess"}""");

        assertEquals("ada@example.com", profile.userName());
        assertEquals("e1", profile.externalId());
        assertTrue(profile.active());
        assertEquals("Ada", profile.attributes().path("name").path("givenName").asText());
        assertEquals("Countess", profile.attributes().path("title").asText());
        for (String dropped : new String[] {"id", "meta", "schemas", "password", "groups", "userName", "externalId",
                "active"}) {
            assertFalse(profile.attributes().has(dropped), dropped + " must not be stored");
        }
    }

    @Test
    void attributeNamesAreCaseInsensitive() {
        UserProfile profile = parse("{\"USERNAME\":\"a@example.com\",\"Active\":false,\"EXTERNALID\":\"e\"}");
        assertEquals("a@example.com", profile.userName());
        assertFalse(profile.active());
        assertEquals("e", profile.externalId());
        assertFalse(profile.attributes().has("Active"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"userName\":\"a@example.com\"}                 | false",
        "{\"userName\":\"a@example.com\",\"active\":null} | false",
        "{\"userName\":\"a@example.com\",\"active\":\"\"} | false",
        "{\"userName\":\"a@example.com\",\"Active\":true} | true",
        "{\"userName\":\"a@example.com\",\"active\":false} | true"})
    void anUnassignedActiveIsNotStatedAndTakesTheStateGiven(String json, boolean stated) {
        var canonical = requests.parse(bodies.readJson(json.getBytes(StandardCharsets.UTF_8)));

        assertEquals(stated, UserRequests.statesActive(canonical));
        if (!stated) {
            assertFalse(requests.toProfile(canonical, false).active(), "a deactivated user's update keeps it so");
            assertTrue(requests.toProfile(canonical, true).active());
        }
    }

    @ParameterizedTest
    @CsvSource({"\"True\",true", "\"False\",false", "\"false\",false", "true,true", "null,true"})
    void activeAcceptsEntraStringBooleans(String json, boolean expected) {
        assertEquals(expected, parse("{\"userName\":\"a@example.com\",\"active\":" + json + "}").active());
    }

    /**
     * The deactivation a PUT body states, read alone: what the gateway still sends when it refuses the rest - of a
     * body that is a user (a usable userName, no other schema).
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"userName\":\"a@example.com\",\"title\":42,\"active\":false}                       | true",
            "{\"USERNAME\":\"a@example.com\",\"title\":42,\"ACTIVE\":\"False\"}                     | true",
            "{\"urn:ietf:params:scim:schemas:core:2.0:User:userName\":\"a@example.com\",\"urn:ietf:params:scim:schemas:core:2.0:User:active\":false} | true",
            "{\"userName\":\"a@example.com\",\"title\":42,\"active\":true}                        | false",
            "{\"userName\":\"a@example.com\",\"title\":42,\"active\":\"maybe\"}                   | false",
            "{\"userName\":\"a@example.com\",\"title\":42,\"active\":null}                        | false",
            "{\"userName\":\"a@example.com\",\"title\":42}                                        | false",
            "{\"userame\":\"OMalley\",\"active\":false}                                            | false",
            "{\"userName\":\"\",\"active\":false}                                                  | false",
            "{\"schemas\":[\"urn:acme:User\"],\"userName\":\"a@example.com\",\"active\":false}      | false",
            "[{\"userName\":\"a@example.com\",\"active\":false}]                                    | false",
    })
    void aBodyDeactivatesWhenItStatesActiveFalse(String json, boolean expected) {
        assertEquals(expected, requests.deactivates(bodies.readJson(json.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void schemasMayBeOmittedButMustNameTheUserSchemaWhenPresent() {
        assertEquals("a@example.com", parse("{\"userName\":\"a@example.com\"}").userName());
        assertEquals("invalidValue", rejected("{\"schemas\":[\"urn:x\"],\"userName\":\"a@example.com\"}").scimType());
        assertEquals("invalidValue", rejected("{\"schemas\":\"urn:ietf:params:scim:schemas:core:2.0:User\","
                + "\"userName\":\"a@example.com\"}").scimType());
    }

    @Test
    void userNameIsRequiredAndMustBeANonEmptyString() {
        assertEquals("'userName' is required", rejected("{\"displayName\":\"x\"}").detail());
        assertEquals("'userName' is required", rejected("{\"userName\":null}").detail());
        assertEquals("'userName' must be a non-empty string", rejected("{\"userName\":\"  \"}").detail());
        assertEquals("'userName' must be a non-empty string", rejected("{\"userName\":\"\"}").detail());
        assertEquals("'userName' must be a non-empty string", rejected("{\"userName\":42}").detail());
    }

    @Test
    void badTypesAreInvalidValue() {
        assertEquals(400, rejected("{\"userName\":\"a@example.com\",\"active\":\"yes\"}").status());
        assertEquals("invalidValue", rejected("{\"userName\":\"a@example.com\",\"externalId\":7}").scimType());
    }

    @Test
    void namesTakeTheSchemasSpellingAndUnknownOrEmptyValuesAreDropped() {
        UserProfile profile = parse("""
                {"userName":"a@example.com","DISPLAYNAME":"A","nickName":"","unknownThing":1,"title":null,
                 "EMAILS":{"VALUE":"a@example.com","Primary":"True"},
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"Department":"R&D","manager":"42"},
                 "urn:ietf:params:scim:schemas:extension:docker:2.0:User":{"dockerRole":"editor"},
                 "urn:example:custom:2.0:User":{"x":1}}""");
        assertEquals("A", profile.attributes().path("displayName").asText());
        assertFalse(profile.attributes().has("nickName"));
        assertFalse(profile.attributes().has("unknownThing"));
        assertFalse(profile.attributes().has("title"));
        assertTrue(profile.attributes().path("emails").get(0).path("primary").booleanValue());
        assertEquals("a@example.com", profile.attributes().path("emails").get(0).path("value").asText());
        assertEquals("R&D", profile.attributes().path("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")
                .path("department").asText());
        assertEquals("42", profile.attributes().path("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")
                .path("manager").path("value").asText());
        assertEquals("editor", profile.attributes().path("urn:ietf:params:scim:schemas:extension:docker:2.0:User")
                .path("dockerRole").asText());
        assertFalse(profile.attributes().has("urn:example:custom:2.0:User"));
    }

    @Test
    void entraCreateBodiesWithMetaResourceTypeAndEmptyRolesAreAccepted() {
        UserProfile profile = parse("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User",
                            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                 "externalId":"0a21f0f2","userName":"Test_User_ab6490ee@testuser.com","active":true,
                 "displayName":"BobIsAmazing","meta":{"resourceType":"User"},"roles":[],
                 "name":{"formatted":"Ryan Leenay","familyName":"Leenay","givenName":"Ryan"}}""");
        assertEquals("Test_User_ab6490ee@testuser.com", profile.userName());
        assertFalse(profile.attributes().has("roles"));
        assertFalse(profile.attributes().has("meta"));
    }

    /**
     * The role is membership-service's to refuse (it knows whether the request deactivates an active user, which is
     * applied alone rather than refused): the gateway passes it on as the placement's role.
     */
    @Test
    void theRoleMappingRoleIsPassedOnAsThePlacementsRole() {
        UserProfile profile = parse("{\"userName\":\"a@example.com\",\"active\":false,"
                + "\"urn:ietf:params:scim:schemas:extension:docker:2.0:User\":{\"dockerRole\":\"admin\"}}");
        assertEquals("admin", profile.placement().role());
        assertFalse(profile.active());
        assertEquals("invalidValue", rejected("{\"userName\":\"a@example.com\","
                + "\"urn:ietf:params:scim:schemas:extension:docker:2.0:User\":{\"dockerRole\":7}}").scimType());
    }

    @Test
    void anEmptyExternalIdIsNoExternalId() {
        assertNull(parse("{\"userName\":\"a@example.com\",\"externalId\":\"\"}").externalId());
    }

    @Test
    void brokenJsonIsInvalidSyntaxWithAPosition() {
        ScimException error = rejected("{\"userName\": \n ,}");
        assertEquals("invalidSyntax", error.scimType());
        assertTrue(error.detail().contains("line 2"), error.detail());
        assertEquals("invalidSyntax", rejected("\"just a string\"").scimType());
        assertEquals("invalidSyntax", assertThrows(ScimException.class, () -> bodies.readJson(new byte[0])).scimType());
    }
}
