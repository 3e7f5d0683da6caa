package dev.scimsync.gateway.scim.patch;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anything;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimsync.gateway.scim.ConfiguredLimits;
import dev.scimsync.gateway.scim.ScimException;
import dev.scimsync.gateway.scim.ScimLimits;
import dev.scimsync.gateway.scim.UserRequests;
import dev.scimsync.gateway.scim.schema.ResourceType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** PATCH semantics, with the request shapes Okta and Entra ID really send. */
class UserPatcherTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    private static final ScimLimits LIMITS = ConfiguredLimits.load();
    /** Marks a JSON pointer that must lead nowhere in the patched user. */
    private static final String ABSENT = null;
    private final UserRequests requests = ConfiguredLimits.userRequests();
    private final UserPatcher patcher = new UserPatcher(requests, LIMITS);

    private ObjectNode user() throws Exception {
        return requests.canonical((ObjectNode) MAPPER.readTree("""
                {"userName":"ada@example.com","active":true,"displayName":"Ada",
                 "name":{"givenName":"Ada","familyName":"Lovelace"},
                 "emails":[{"value":"ada@example.com","type":"work","primary":true},{"value":"ada@home.test","type":"home"}],
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Engines"}}"""));
    }

    private ObjectNode patch(String body) throws Exception {
        return patcher.apply(user(), PatchRequest.parse(MAPPER.readTree(body), ResourceType.USER,
                LIMITS.patchOperations()).operations());
    }

    private static Map<String, String> expect(String... pointersAndJson) {
        Map<String, String> expected = new LinkedHashMap<>();
        for (int i = 0; i < pointersAndJson.length; i += 2) {
            expected.put(pointersAndJson[i], pointersAndJson[i + 1]);
        }
        return expected;
    }

    /**
     * PATCH bodies applied to {@link #user()}, and what the result holds at some JSON pointers (the JSON there,
     * or {@link #ABSENT}).
     */
    static Stream<Arguments> patches() {
        return Stream.of(
                Arguments.of("Okta deactivates with a pathless replace and its id is ignored", """
                        {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                         "Operations":[{"op":"replace","value":{"id":"abc","active":false}}]}""",
                        expect("/active", "false", "/id", ABSENT, "/displayName", "\"Ada\"")),
                Arguments.of("Entra sends capitalised ops, string booleans, dotted and URN keys", """
                        {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
                         {"op":"Replace","path":"active","value":"False"},
                         {"op":"Replace","value":{"name.givenName":"Augusta",
                           "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department":"Mathematics"}}]}""",
                        expect("/active", "false", "/name/givenName", "\"Augusta\"", "/name/familyName", "\"Lovelace\"",
                                "/" + ENTERPRISE + "/department", "\"Mathematics\"")),
                Arguments.of("a replace of a complex attribute leaves the sub-attributes it does not name (RFC 7644 3.5.2.3)", """
                        {"Operations":[{"op":"replace","path":"name","value":{"givenName":"Augusta"}},
                                       {"op":"replace","value":{"name":{"formatted":"Augusta Ada King"}}}]}""",
                        expect("/name/givenName", "\"Augusta\"", "/name/familyName", "\"Lovelace\"",
                                "/name/formatted", "\"Augusta Ada King\"")),
                Arguments.of("a replace naming another manager replaces the manager whole", """
                        {"Operations":[{"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
                          "value":{"value":"m-1","$ref":"../Users/m-1"}},
                         {"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
                          "value":{"value":"m-2"}}]}""",
                        expect("/" + ENTERPRISE + "/manager/value", "\"m-2\"", "/" + ENTERPRISE + "/manager/$ref", ABSENT)),
                Arguments.of("a single value wrapped in a list is that value", """
                        {"Operations":[{"op":"replace","path":"active","value":[false]},
                                       {"op":"replace","path":"title","value":["Countess"]}]}""",
                        expect("/active", "false", "/title", "\"Countess\"")),
                Arguments.of("Entra adds on a filter path that matches nothing by creating the element", """
                        {"Operations":[{"op":"Add","path":"phoneNumbers[type eq \\"mobile\\"].value","value":"+1 555 0100"}]}""",
                        expect("/phoneNumbers/0/type", "\"mobile\"", "/phoneNumbers/0/value", "\"+1 555 0100\"",
                                "/phoneNumbers/1", ABSENT)),
                Arguments.of("replace on a filter path changes only the matching element", """
                        {"Operations":[{"op":"replace","path":"emails[type eq \\"work\\"].value","value":"ada@newco.test"}]}""",
                        expect("/emails/0/value", "\"ada@newco.test\"", "/emails/1/value", "\"ada@home.test\"")),
                Arguments.of("Entra sends manager as a bare string", """
                        {"Operations":[{"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
                          "value":"26118915-6090-4610-87a4-49d0ca4cb11d"}]}""",
                        expect("/" + ENTERPRISE + "/manager/value", "\"26118915-6090-4610-87a4-49d0ca4cb11d\"")),
                Arguments.of("null or empty clears an attribute", """
                        {"Operations":[{"op":"replace","path":"displayName","value":""},
                                       {"op":"replace","value":{"name.familyName":null}}]}""",
                        expect("/displayName", ABSENT, "/name/familyName", ABSENT)),
                Arguments.of("adding a new primary takes the flag from the old one", """
                        {"Operations":[{"op":"add","path":"emails","value":[{"value":"a@new.test","type":"other","primary":true}]}]}""",
                        expect("/emails/0/primary", "false", "/emails/2/primary", "true", "/emails/3", ABSENT)),
                Arguments.of("remove by filter", """
                        {"Operations":[{"op":"remove","path":"emails[type eq \\"home\\"]"}]}""",
                        expect("/emails/0/value", "\"ada@example.com\"", "/emails/1", ABSENT)),
                Arguments.of("Entra-style remove with values", """
                        {"Operations":[{"op":"Remove","path":"emails","value":[{"value":"ADA@home.test"}]}]}""",
                        expect("/emails/0/value", "\"ada@example.com\"", "/emails/1", ABSENT)),
                Arguments.of("remove a whole attribute", """
                        {"Operations":[{"op":"remove","path":"emails"}]}""",
                        expect("/emails", ABSENT)),
                Arguments.of("password is accepted and never kept", """
                        {"Operations":[{"op":"replace","path":"password","value":"s3cret"}]}""",
                        expect("/password", ABSENT)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("patches")
    void applies(String name, String body, Map<String, String> expected) throws Exception {
        ObjectNode result = patch(body);
        for (Map.Entry<String, String> pointer : expected.entrySet()) {
            JsonNode found = result.at(pointer.getKey());
            if (pointer.getValue() == null) {
                assertTrue(found.isMissingNode(), () -> pointer.getKey() + " is " + found);
            } else {
                assertEquals(MAPPER.readTree(pointer.getValue()), found, pointer.getKey());
            }
        }
    }

    /** PATCH bodies refused, with the scimType and a matcher for the detail of the refusal. */
    static Stream<Arguments> refusals() {
        int limit = LIMITS.multiValuedEntries();
        // The user has two emails: adding limit - 1 more is one over.
        String emails = IntStream.range(0, limit - 1).mapToObj(i -> "{\"value\":\"e" + i + "@example.com\"}")
                .collect(Collectors.joining(","));
        // A list longer than the limit is refused before any of it is compared with what is there.
        String phones = IntStream.range(0, 100_000).mapToObj(i -> "\"+1" + i + "\"").collect(Collectors.joining(","));
        int tooLong = LIMITS.stringLength() + 1;
        return Stream.of(
                Arguments.of("""
                        {"Operations":[{"op":"replace","path":"emails","value":[{"value":"a@x.test","primary":true},
                          {"value":"b@x.test","primary":true}]}]}""", "invalidValue", anything()),
                Arguments.of("{\"Operations\":[{\"op\":\"remove\"}]}", "noTarget", anything()),
                Arguments.of("{\"Operations\":[{\"op\":\"remove\",\"path\":\"emails[type eq \\\"pager\\\"]\"}]}",
                        "noTarget", anything()),
                Arguments.of("{\"Operations\":[{\"op\":\"replace\",\"path\":\"emails[type eq\",\"value\":1}]}",
                        "invalidPath", anything()),
                Arguments.of("{\"Operations\":[{\"op\":\"replace\",\"path\":\"id\",\"value\":\"x\"}]}", "mutability", anything()),
                Arguments.of("{\"Operations\":[{\"op\":\"add\",\"path\":\"groups\",\"value\":[{\"value\":\"g\"}]}]}",
                        "mutability", anything()),
                Arguments.of("{\"Operations\":[{\"op\":\"replace\",\"path\":\"active\",\"value\":\"maybe\"}]}",
                        "invalidValue", anything()),
                Arguments.of("{\"Operations\":[]}", "invalidValue", anything()),
                Arguments.of("{\"Operations\":[{\"op\":\"move\",\"path\":\"title\"}]}", "invalidSyntax", anything()),
                Arguments.of("{\"Operations\":[{\"op\":\"replace\",\"path\":\"userName\",\"value\":\"\"}]}",
                        "invalidValue", anything()),
                Arguments.of("{\"Operations\":[{\"op\":\"add\",\"path\":\"emails\",\"value\":[" + emails + "]}]}",
                        "invalidValue", equalTo("'emails' has " + (limit + 1) + " values; at most " + limit + " are accepted")),
                Arguments.of("{\"Operations\":[{\"op\":\"add\",\"path\":\"phoneNumbers\",\"value\":[" + phones + "]}]}",
                        "invalidValue", equalTo("'phoneNumbers' has 100000 values; at most " + limit + " are accepted")),
                Arguments.of("{\"Operations\":[{\"op\":\"replace\",\"value\":{\"name.givenName\":\""
                        + "g".repeat(tooLong) + "\"}}]}", "invalidValue", equalTo("'name.givenName' is " + tooLong
                        + " characters long; at most " + LIMITS.stringLength() + " are accepted")));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void refuses(String body, String scimType, Matcher<String> detail) {
        ScimException refused = assertThrows(ScimException.class, () -> patch(body));
        assertEquals(scimType, refused.scimType(), refused::detail);
        assertThat(refused.detail(), detail);
    }

    /**
     * A user stored before the limits existed, with a displayName longer than they allow: the IdP can still
     * deactivate them (and change other values), while a value the PATCH itself brings stays limited.
     */
    @Test
    void aUserStoredWithAValueOverTheLimitsCanStillBeDeactivated() throws Exception {
        String storedBefore = "D".repeat(LIMITS.stringLength() + 500);
        ObjectNode stored = user();
        stored.put("displayName", storedBefore);
        String deactivate = """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"replace","path":"active","value":false}]}""";

        ObjectNode result = patcher.apply(stored, PatchRequest.parse(MAPPER.readTree(deactivate),
                ResourceType.USER, LIMITS.patchOperations()).operations());

        assertFalse(result.get("active").booleanValue());
        assertEquals(storedBefore, result.path("displayName").asText(), "kept as stored");
        String tooLong = "N".repeat(LIMITS.stringLength() + 1);
        ScimException refused = assertThrows(ScimException.class, () -> patcher.apply(user(), PatchRequest
                .parse(MAPPER.readTree("""
                        {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                         "Operations":[{"op":"replace","path":"nickName","value":"%s"}]}""".formatted(tooLong)),
                        ResourceType.USER, LIMITS.patchOperations()).operations()));
        assertEquals("invalidValue", refused.scimType(), "a user within the limits stays within them");
    }

    /** The deactivation the operations state, read alone: what the gateway still sends when it refuses the rest. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[{\"op\":\"Replace\",\"path\":\"title\",\"value\":42},{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"False\"}] | true",
            "[{\"op\":\"replace\",\"value\":{\"title\":42,\"active\":false}}]                                  | true",
            "[{\"op\":\"add\",\"path\":\"urn:ietf:params:scim:schemas:core:2.0:User:active\",\"value\":false}]   | true",
            "[{\"op\":\"replace\",\"path\":\"active\",\"value\":false},{\"op\":\"replace\",\"path\":\"active\",\"value\":true}] | false",
            "[{\"op\":\"replace\",\"path\":\"active\",\"value\":\"maybe\"}]                                 | false",
            "[{\"op\":\"replace\",\"path\":\"active\",\"value\":[false]}]                                      | true",
            "[{\"op\":\"remove\",\"path\":\"active\"}]                                                     | false",
            "[{\"op\":\"replace\",\"path\":\"title\",\"value\":42}]                                      | false",
            "[{\"op\":\"replace\",\"value\":{\"title\":42}}]                                             | false",
    })
    void theOperationsDeactivateWhenTheyLeaveActiveFalse(String operations, boolean expected) throws Exception {
        assertEquals(expected, patcher.deactivates(PatchRequest.parse(MAPPER.readTree(
                "{\"Operations\":" + operations + "}"), ResourceType.USER, LIMITS.patchOperations()).operations()));
    }

    @Test
    void oneFailingOperationAppliesNothing() throws Exception {
        ObjectNode before = user();
        assertThrows(ScimException.class, () -> patcher.apply(before, PatchRequest.parse(MAPPER.readTree("""
                {"Operations":[{"op":"replace","path":"displayName","value":"Changed"},
                               {"op":"replace","path":"active","value":"maybe"}]}"""), ResourceType.USER,
                LIMITS.patchOperations()).operations()));
        assertEquals("Ada", before.path("displayName").asText(), "the input document is never modified");
    }
}
