package dev.scimsync.gateway.scim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class ProjectionTest {

    private static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    private static ObjectNode resource() throws Exception {
        return (ObjectNode) new ObjectMapper().readTree("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","%s"],"id":"u1","userName":"ada@x.test",
                 "name":{"givenName":"Ada","familyName":"Lovelace"},
                 "emails":[{"value":"ada@x.test","type":"work"},{"value":"a@home.test","type":"home"}],
                 "%s":{"department":"Engines","costCenter":"42"},"meta":{"resourceType":"User"}}""".formatted(ENTERPRISE, ENTERPRISE));
    }

    @Test
    void attributesKeepsWhatWasAskedPlusIdAndSchemas() throws Exception {
        ObjectNode result = Projection.of("userName,NAME.givenName,emails.value", null).apply(resource());
        assertEquals("u1", result.path("id").asText());
        assertEquals("ada@x.test", result.path("userName").asText());
        assertEquals("Ada", result.path("name").path("givenName").asText());
        assertFalse(result.path("name").has("familyName"));
        assertEquals(2, result.path("emails").size());
        assertFalse(result.path("emails").get(0).has("type"));
        assertFalse(result.has("meta"));
        assertEquals(1, result.path("schemas").size(), "no extension left, none declared");
    }

    @Test
    void extensionAttributesByFullUrn() throws Exception {
        ObjectNode result = Projection.of(ENTERPRISE + ":department", null).apply(resource());
        assertEquals("Engines", result.path(ENTERPRISE).path("department").asText());
        assertFalse(result.path(ENTERPRISE).has("costCenter"));
        assertEquals(ENTERPRISE, result.path("schemas").get(1).asText());
        assertTrue(Projection.of(ENTERPRISE, null).apply(resource()).path(ENTERPRISE).has("costCenter"));
    }

    @Test
    void excludedAttributesRemovesAllButWhatIsAlwaysReturned() throws Exception {
        ObjectNode result = Projection.of(null, "emails,id,name.familyName," + ENTERPRISE).apply(resource());
        assertFalse(result.has("emails"));
        assertEquals("u1", result.path("id").asText());
        assertFalse(result.path("name").has("familyName"));
        assertFalse(result.has(ENTERPRISE));
        assertEquals(1, result.path("schemas").size());
    }

    @Test
    void aValueFilterInAnAttributeNameSelectsTheAttribute() throws Exception {
        assertEquals(2, Projection.of("emails[type eq \"work\"]", null).apply(resource()).path("emails").size());
    }

    @Test
    void wantsTellsWhetherAnAttributeIsShownAtAll() {
        assertTrue(Projection.all().wants("members"));
        assertFalse(Projection.of(null, "members").wants("members"));
        assertFalse(Projection.of(null, "Members").wants("members"));
        assertTrue(Projection.of(null, "members.display").wants("members"), "its values are still shown");
        assertFalse(Projection.of("displayName", null).wants("members"));
        assertTrue(Projection.of("displayName,members.value", null).wants("members"));
        assertTrue(Projection.of("urn:ietf:params:scim:schemas:core:2.0:Group:members", null).wants("members"));
        assertFalse(Projection.of(null, "urn:ietf:params:scim:schemas:core:2.0:User:groups").wants("groups"));
        assertFalse(Projection.of(ENTERPRISE + ":department", null).wants("groups"));
    }
}
