package dev.scimsync.gateway.scim.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scimsync.gateway.scim.ScimException;
import org.junit.jupiter.api.Test;

/** bulkId references (RFC 7644 section 3.7.2) in paths and data, resolved to the ids earlier POSTs created. */
class BulkIdsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BulkIds bulkIds = new BulkIds();

    private static BulkOperation operation(String json) {
        try {
            return BulkOperation.parse(JSON.readTree(json));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void referencesInMembersInPatchValuesAndInPathsNameTheCreatedResources() {
        bulkIds.declare("qwerty");
        bulkIds.created("qwerty", "92b725cd-9465-4e7d-8c16-01f8e146b87a");
        bulkIds.declare("ytrewq");
        bulkIds.created("ytrewq", "e9e30dba-f08f-4109-8486-d5c6a331660a");

        BulkOperation group = bulkIds.resolve(operation("""
                {"method":"POST","path":"/Groups","bulkId":"g","data":{"displayName":"Tour Guides",
                 "members":[{"type":"User","value":"bulkId:qwerty"},{"value":"bulkId:ytrewq"},{"value":"u-3"}]}}"""));
        BulkOperation patch = bulkIds.resolve(operation("""
                {"method":"PATCH","path":"/Users/bulkId:qwerty","data":{"Operations":[{"op":"replace",
                 "path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"bulkId:ytrewq"}]}}"""));

        JsonNode members = group.data().path("members");
        assertEquals("92b725cd-9465-4e7d-8c16-01f8e146b87a", members.path(0).path("value").asText());
        assertEquals("User", members.path(0).path("type").asText());
        assertEquals("e9e30dba-f08f-4109-8486-d5c6a331660a", members.path(1).path("value").asText());
        assertEquals("u-3", members.path(2).path("value").asText());
        assertEquals("92b725cd-9465-4e7d-8c16-01f8e146b87a", patch.id());
        assertEquals("e9e30dba-f08f-4109-8486-d5c6a331660a",
                patch.data().path("Operations").path(0).path("value").asText());
    }

    @Test
    void theOperationAsSentIsLeftAsItWas() {
        bulkIds.declare("qwerty");
        bulkIds.created("qwerty", "u-1");
        BulkOperation sent = operation("""
                {"method":"PUT","path":"/Groups/g-1","data":{"displayName":"x","members":[{"value":"bulkId:qwerty"}]}}""");

        bulkIds.resolve(sent);

        assertEquals("bulkId:qwerty", sent.data().path("members").path(0).path("value").asText());
    }

    @Test
    void aReferenceToNoEarlierPostIs409() {
        ScimException refused = assertThrows(ScimException.class, () -> bulkIds.resolve(operation("""
                {"method":"DELETE","path":"/Users/bulkId:later"}""")));

        assertEquals(409, refused.status());
        assertNull(refused.scimType());
        assertEquals("'bulkId:later' cannot be resolved: no earlier POST of this request has that bulkId "
                + "(operations are applied in the order sent)", refused.detail());
    }

    @Test
    void aReferenceToAFailedPostOrToItsOwnPostIs409() {
        bulkIds.declare("failed");
        bulkIds.declare("self");

        assertEquals(409, assertThrows(ScimException.class, () -> bulkIds.resolve(operation("""
                {"method":"POST","path":"/Groups","bulkId":"g","data":{"members":[{"value":"bulkId:failed"}]}}""")))
                .status());
        ScimException self = assertThrows(ScimException.class, () -> bulkIds.resolve(operation("""
                {"method":"POST","path":"/Groups","bulkId":"self","data":{"members":[{"value":"bulkId:self"}]}}""")));
        assertEquals("'bulkId:self' cannot be resolved: the POST of that bulkId created nothing", self.detail());
    }

    @Test
    void aBulkIdIsDeclaredOnce() {
        bulkIds.declare("qwerty");

        ScimException refused = assertThrows(ScimException.class, () -> bulkIds.declare("qwerty"));

        assertEquals(400, refused.status());
        assertEquals("invalidValue", refused.scimType());
    }
}
