package dev.scimsync.gateway.scim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimsync.contracts.GroupMember;
import dev.scimsync.contracts.GroupSnapshot;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupRepresentationsTest {

    private static final ScimEndpoints ENDPOINTS = new ScimEndpoints(URI.create("https://scim.example.com/scim/v2"));
    private static final GroupSnapshot GROUP = new GroupSnapshot("g-1", "c-1", "Engineers", "ext-9", 2, 4,
            Instant.parse("2026-01-01T10:00:00Z"), Instant.parse("2026-01-02T10:00:00Z"));
    private static final List<GroupMember> MEMBERS = List.of(new GroupMember("u-1", "ada@example.com"),
            new GroupMember("u-2", null));

    @Test
    void rendersTheGroupWithMembersAndMeta() {
        ObjectNode resource = GroupRepresentations.render(GROUP, MEMBERS, ENDPOINTS, Projection.all());

        assertEquals("urn:ietf:params:scim:schemas:core:2.0:Group", resource.path("schemas").path(0).asText());
        assertEquals(1, resource.path("schemas").size());
        assertEquals("g-1", resource.path("id").asText());
        assertEquals("ext-9", resource.path("externalId").asText());
        assertEquals("Engineers", resource.path("displayName").asText());
        ObjectNode first = (ObjectNode) resource.path("members").path(0);
        assertEquals("u-1", first.path("value").asText());
        assertEquals("ada@example.com", first.path("display").asText());
        assertEquals("https://scim.example.com/scim/v2/Users/u-1", first.path("$ref").asText());
        assertEquals("User", first.path("type").asText());
        assertFalse(resource.path("members").path(1).has("display"));
        assertEquals("Group", resource.path("meta").path("resourceType").asText());
        assertEquals("2026-01-01T10:00:00Z", resource.path("meta").path("created").asText());
        assertEquals("2026-01-02T10:00:00Z", resource.path("meta").path("lastModified").asText());
        assertEquals("https://scim.example.com/scim/v2/Groups/g-1", resource.path("meta").path("location").asText());
        assertEquals("W/\"4\"", resource.path("meta").path("version").asText());
    }

    @Test
    void membersNotLoadedOrNoneAreNotRendered() {
        assertFalse(GroupRepresentations.render(GROUP, null, ENDPOINTS, Projection.all()).has("members"));
        assertFalse(GroupRepresentations.render(GROUP, List.of(), ENDPOINTS, Projection.all()).has("members"));
    }

    @Test
    void projectionsApplyToGroups() {
        ObjectNode onlyName = GroupRepresentations.render(GROUP, null, ENDPOINTS, Projection.of("displayName", null));
        assertEquals(java.util.Set.of("schemas", "id", "displayName"), fieldNames(onlyName));
        assertEquals("urn:ietf:params:scim:schemas:core:2.0:Group", onlyName.path("schemas").path(0).asText());

        ObjectNode memberIds = GroupRepresentations.render(GROUP, MEMBERS, ENDPOINTS,
                Projection.of("members.value", null));
        assertEquals("u-1", memberIds.path("members").path(0).path("value").asText());
        assertFalse(memberIds.path("members").path(0).has("$ref"));

        ObjectNode withoutMembers = GroupRepresentations.render(GROUP, MEMBERS, ENDPOINTS,
                Projection.of(null, "urn:ietf:params:scim:schemas:core:2.0:Group:members"));
        assertFalse(withoutMembers.has("members"));
        assertEquals("Engineers", withoutMembers.path("displayName").asText());
    }

    private static java.util.Set<String> fieldNames(ObjectNode node) {
        java.util.Set<String> names = new java.util.HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
