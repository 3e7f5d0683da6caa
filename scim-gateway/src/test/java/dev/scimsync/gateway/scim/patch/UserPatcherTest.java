package dev.scimsync.gateway.scim.patch;

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
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** PATCH semantics, with the request shapes Okta and Entra ID really send. */
class UserPatcherTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    private static final ScimLimits LIMITS = ConfiguredLimits.load();
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
        return patcher.apply(user(), PatchOperation.parseRequest(MAPPER.readTree(body), ResourceType.USER,
                LIMITS.patchOperations()));
    }

    private ScimException rejected(String body) {
        return assertThrows(ScimException.class, () -> patch(body));
    }

    @Test
    void oktaDeactivatesWithAPathlessReplaceAndItsIdIsIgnored() throws Exception {
        ObjectNode result = patch("""
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"replace","value":{"id":"abc","active":false}}]}""");
        assertFalse(result.get("active").booleanValue());
        assertFalse(result.has("id"));
        assertEquals("Ada", result.path("displayName").asText());
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

        ObjectNode result = patcher.apply(stored, PatchOperation.parseRequest(MAPPER.readTree(deactivate),
                ResourceType.USER, LIMITS.patchOperations()));

        assertFalse(result.get("active").booleanValue());
        assertEquals(storedBefore, result.path("displayName").asText(), "kept as stored");
        String tooLong = "N".repeat(LIMITS.stringLength() + 1);
        ScimException refused = assertThrows(ScimException.class, () -> patcher.apply(user(), PatchOperation
                .parseRequest(MAPPER.readTree("""
                        {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                         "Operations":[{"op":"replace","path":"nickName","value":"%s"}]}""".formatted(tooLong)),
                        ResourceType.USER, LIMITS.patchOperations())));
        assertEquals("invalidValue", refused.scimType(), "a user within the limits stays within them");
    }

    @Test
    void entraSendsCapitalisedOpsStringBooleansDottedAndUrnKeys() throws Exception {
        ObjectNode result = patch("""
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
                 {"op":"Replace","path":"active","value":"False"},
                 {"op":"Replace","value":{"name.givenName":"Augusta",
                   "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department":"Mathematics"}}]}""");
        assertFalse(result.get("active").booleanValue());
        assertEquals("Augusta", result.path("name").path("givenName").asText());
        assertEquals("Lovelace", result.path("name").path("familyName").asText());
        assertEquals("Mathematics", result.path(ENTERPRISE).path("department").asText());
    }

    @Test
    void entraAddsOnAFilterPathThatMatchesNothingByCreatingTheElement() throws Exception {
        ObjectNode result = patch("""
                {"Operations":[{"op":"Add","path":"phoneNumbers[type eq \\"mobile\\"].value","value":"+1 555 0100"}]}""");
        JsonNode phones = result.get("phoneNumbers");
        assertEquals(1, phones.size());
        assertEquals("mobile", phones.get(0).path("type").asText());
        assertEquals("+1 555 0100", phones.get(0).path("value").asText());
    }

    @Test
    void replaceOnAFilterPathChangesOnlyTheMatchingElement() throws Exception {
        ObjectNode result = patch("""
                {"Operations":[{"op":"replace","path":"emails[type eq \\"work\\"].value","value":"ada@newco.test"}]}""");
        assertEquals("ada@newco.test", result.path("emails").get(0).path("value").asText());
        assertEquals("ada@home.test", result.path("emails").get(1).path("value").asText());
    }

    @Test
    void entraSendsManagerAsABareString() throws Exception {
        ObjectNode result = patch("""
                {"Operations":[{"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
                  "value":"26118915-6090-4610-87a4-49d0ca4cb11d"}]}""");
        assertEquals("26118915-6090-4610-87a4-49d0ca4cb11d", result.path(ENTERPRISE).path("manager").path("value").asText());
    }

    @Test
    void nullOrEmptyClearsAnAttribute() throws Exception {
        ObjectNode result = patch("""
                {"Operations":[{"op":"replace","path":"displayName","value":""},
                               {"op":"replace","value":{"name.familyName":null}}]}""");
        assertFalse(result.has("displayName"));
        assertFalse(result.path("name").has("familyName"));
    }

    @Test
    void addingANewPrimaryTakesTheFlagFromTheOldOne() throws Exception {
        ObjectNode result = patch("""
                {"Operations":[{"op":"add","path":"emails","value":[{"value":"a@new.test","type":"other","primary":true}]}]}""");
        JsonNode emails = result.get("emails");
        assertEquals(3, emails.size());
        assertFalse(emails.get(0).path("primary").asBoolean());
        assertTrue(emails.get(2).path("primary").asBoolean());
    }

    @Test
    void twoPrimariesInOneValueAreInvalid() {
        assertEquals("invalidValue", rejected("""
                {"Operations":[{"op":"replace","path":"emails","value":[{"value":"a@x.test","primary":true},
                  {"value":"b@x.test","primary":true}]}]}""").scimType());
    }

    @Test
    void removeByFilterAndEntraStyleRemoveWithValues() throws Exception {
        assertEquals(1, patch("""
                {"Operations":[{"op":"remove","path":"emails[type eq \\"home\\"]"}]}""").get("emails").size());
        assertEquals(1, patch("""
                {"Operations":[{"op":"Remove","path":"emails","value":[{"value":"ADA@home.test"}]}]}""").get("emails").size());
        assertFalse(patch("{\"Operations\":[{\"op\":\"remove\",\"path\":\"emails\"}]}").has("emails"));
    }

    @Test
    void everyScimTypeForBadOperations() {
        assertEquals("noTarget", rejected("{\"Operations\":[{\"op\":\"remove\"}]}").scimType());
        assertEquals("noTarget", rejected(
                "{\"Operations\":[{\"op\":\"remove\",\"path\":\"emails[type eq \\\"pager\\\"]\"}]}").scimType());
        assertEquals("invalidPath", rejected(
                "{\"Operations\":[{\"op\":\"replace\",\"path\":\"nope\",\"value\":1}]}").scimType());
        assertEquals("invalidPath", rejected(
                "{\"Operations\":[{\"op\":\"replace\",\"path\":\"name.nope\",\"value\":1}]}").scimType());
        assertEquals("invalidPath", rejected(
                "{\"Operations\":[{\"op\":\"replace\",\"path\":\"emails[type eq\",\"value\":1}]}").scimType());
        assertEquals("mutability", rejected(
                "{\"Operations\":[{\"op\":\"replace\",\"path\":\"id\",\"value\":\"x\"}]}").scimType());
        assertEquals("mutability", rejected(
                "{\"Operations\":[{\"op\":\"add\",\"path\":\"groups\",\"value\":[{\"value\":\"g\"}]}]}").scimType());
        assertEquals("invalidValue", rejected(
                "{\"Operations\":[{\"op\":\"replace\",\"path\":\"active\",\"value\":\"maybe\"}]}").scimType());
        assertEquals("invalidValue", rejected("{\"Operations\":[]}").scimType());
        assertEquals("invalidSyntax", rejected("{\"Operations\":[{\"op\":\"move\",\"path\":\"title\"}]}").scimType());
        assertEquals("invalidValue", rejected(
                "{\"Operations\":[{\"op\":\"replace\",\"path\":\"userName\",\"value\":\"\"}]}").scimType());
    }

    @Test
    void oneFailingOperationAppliesNothing() throws Exception {
        ObjectNode before = user();
        assertThrows(ScimException.class, () -> patcher.apply(before, PatchOperation.parseRequest(MAPPER.readTree("""
                {"Operations":[{"op":"replace","path":"displayName","value":"Changed"},
                               {"op":"replace","path":"active","value":"maybe"}]}"""), ResourceType.USER,
                LIMITS.patchOperations())));
        assertEquals("Ada", before.path("displayName").asText(), "the input document is never modified");
    }

    @Test
    void passwordIsAcceptedAndNeverKept() throws Exception {
        assertFalse(patch("{\"Operations\":[{\"op\":\"replace\",\"path\":\"password\",\"value\":\"s3cret\"}]}")
                .has("password"));
    }

    @Test
    void addingToAMultiValuedAttributeStopsAtItsLimit() {
        int limit = LIMITS.multiValuedEntries();
        // The user has two emails: adding limit - 1 more is one over.
        String emails = IntStream.range(0, limit - 1).mapToObj(i -> "{\"value\":\"e" + i + "@example.com\"}")
                .collect(Collectors.joining(","));
        ScimException over = rejected("{\"Operations\":[{\"op\":\"add\",\"path\":\"emails\",\"value\":[" + emails
                + "]}]}");
        assertEquals("invalidValue", over.scimType());
        assertEquals("'emails' has " + (limit + 1) + " values; at most " + limit + " are accepted", over.detail());
        // A list longer than the limit is refused before any of it is compared with what is there.
        String many = IntStream.range(0, 100_000).mapToObj(i -> "\"+1" + i + "\"").collect(Collectors.joining(","));
        assertEquals("'phoneNumbers' has 100000 values; at most " + limit + " are accepted", rejected(
                "{\"Operations\":[{\"op\":\"add\",\"path\":\"phoneNumbers\",\"value\":[" + many + "]}]}").detail());
    }

    @Test
    void aPatchedValueOverItsLimitIsRefused() {
        ScimException over = rejected("{\"Operations\":[{\"op\":\"replace\",\"value\":{\"name.givenName\":\""
                + "g".repeat(LIMITS.stringLength() + 1) + "\"}}]}");
        assertEquals("invalidValue", over.scimType());
        assertEquals("'name.givenName' is " + (LIMITS.stringLength() + 1) + " characters long; at most "
                + LIMITS.stringLength() + " are accepted", over.detail());
    }
}
