package dev.scimsync.gateway.scim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimsync.contracts.GroupMember;
import dev.scimsync.contracts.UserProfile;
import dev.scimsync.contracts.UserSnapshot;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UserRepresentationsTest {

    private static final ScimEndpoints ENDPOINTS = new ScimEndpoints(URI.create("https://scim.example.com/scim/v2/"));
    private final ObjectMapper mapper = new ObjectMapper();

    private UserSnapshot user() {
        ObjectNode attributes = mapper.createObjectNode();
        attributes.putObject("name").put("familyName", "Lovelace");
        attributes.putObject("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User").put("department", "R&D");
        return new UserSnapshot("u-1", "c-1", new UserProfile("ada@example.com", null, false, attributes), 3,
                Instant.parse("2026-01-01T10:00:00Z"), Instant.parse("2026-01-02T10:00:00Z"));
    }

    @Test
    void readsVersionsFromEtagHeaders() {
        assertEquals(java.util.Optional.of(3L), ETags.version("W/\"3\""));
        assertEquals(java.util.Optional.of(3L), ETags.version("\"3\""));
        assertEquals(java.util.Optional.empty(), ETags.version("*"));
        assertEquals(java.util.Optional.empty(), ETags.version(null));
        assertEquals(java.util.Optional.of(-1L), ETags.version("W/\"abc\""));
    }

    @Test
    void rendersCoreAttributesMetaAndDeclaresExtensionSchemas() {
        ObjectNode resource = UserRepresentations.render(user(), null, ENDPOINTS, Projection.all());

        assertEquals("urn:ietf:params:scim:schemas:core:2.0:User", resource.path("schemas").path(0).asText());
        assertEquals("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", resource.path("schemas").path(1).asText());
        assertEquals("u-1", resource.path("id").asText());
        assertFalse(resource.path("active").asBoolean());
        assertFalse(resource.has("externalId"));
        assertFalse(resource.has("groups"));
        assertEquals("Lovelace", resource.path("name").path("familyName").asText());
        assertEquals("2026-01-01T10:00:00Z", resource.path("meta").path("created").asText());
        assertEquals("2026-01-02T10:00:00Z", resource.path("meta").path("lastModified").asText());
        assertEquals("https://scim.example.com/scim/v2/Users/u-1", resource.path("meta").path("location").asText());
        assertEquals("W/\"3\"", resource.path("meta").path("version").asText());
    }

    @Test
    void rendersTheGroupsTheUserIsADirectMemberOf() {
        ObjectNode resource = UserRepresentations.render(user(), List.of(new GroupMember("g-1", "Engineers")),
                ENDPOINTS, Projection.all());

        ObjectNode group = (ObjectNode) resource.path("groups").path(0);
        assertEquals("g-1", group.path("value").asText());
        assertEquals("Engineers", group.path("display").asText());
        assertEquals("https://scim.example.com/scim/v2/Groups/g-1", group.path("$ref").asText());
        assertEquals("direct", group.path("type").asText());
        assertFalse(UserRepresentations.render(user(), List.of(new GroupMember("g-1", "Engineers")), ENDPOINTS,
                Projection.of(null, "groups")).has("groups"));
    }
}
