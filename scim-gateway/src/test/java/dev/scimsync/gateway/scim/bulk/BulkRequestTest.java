package dev.scimsync.gateway.scim.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scimsync.gateway.scim.ScimException;
import dev.scimsync.gateway.scim.schema.ResourceType;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The envelope of a Bulk request and its operations, as RFC 7644 section 3.7 defines them. */
class BulkRequestTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static BulkOperation operation(String json) {
        return BulkOperation.parse(json(json));
    }

    private static ScimException refusedOperation(String json) {
        return assertThrows(ScimException.class, () -> operation(json));
    }

    @Test
    void theRfcExampleRequestIsReadWithItsOperationsAndFailOnErrors() {
        BulkRequest request = BulkRequest.parse(json("""
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"failOnErrors":1,
                 "Operations":[
                   {"method":"POST","path":"/Users","bulkId":"qwerty",
                    "data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"Alice"}},
                   {"method":"PUT","path":"/Users/b7c14771-226c-4d05-8860-134711653041","version":"W/\\"3694e05e9dff591\\"",
                    "data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"Bob"}},
                   {"method":"DELETE","path":"/Users/e9025315-6bea-44e1-899c-1e07454e468b","version":"W/\\"7\\""}]}"""),
                1000);

        assertEquals(3, request.operations().size());
        assertEquals(OptionalInt.of(1), request.failOnErrors());
        BulkOperation post = BulkOperation.parse(request.operations().get(0));
        assertEquals(BulkOperation.Method.POST, post.method());
        assertEquals("qwerty", post.bulkId());
        assertEquals(ResourceType.USER, post.type());
        assertNull(post.id());
        assertEquals("Alice", post.data().path("userName").asText());
        BulkOperation delete = BulkOperation.parse(request.operations().get(2));
        assertEquals("e9025315-6bea-44e1-899c-1e07454e468b", delete.id());
        assertEquals(Optional.of(7L), delete.ifMatch());
        assertNull(delete.data());
    }

    @Test
    void attributeNamesMethodsAndEndpointsAreReadWithoutCase() {
        BulkRequest request = BulkRequest.parse(json("""
                {"operations":[{"METHOD":"patch","PATH":"/groups/g-1","Data":{"Operations":[]}}]}"""), 10);
        BulkOperation patch = BulkOperation.parse(request.operations().get(0));

        assertEquals(BulkOperation.Method.PATCH, patch.method());
        assertEquals(ResourceType.GROUP, patch.type());
        assertEquals("g-1", patch.id());
        assertEquals(OptionalInt.empty(), request.failOnErrors());
    }

    @Test
    void moreOperationsThanMaxOperationsIs413NamingTheLimit() {
        ScimException refused = assertThrows(ScimException.class, () -> BulkRequest.parse(
                json("{\"Operations\":[{},{},{}]}"), 2));

        assertEquals(413, refused.status());
        assertNull(refused.scimType());
        assertEquals("the request has 3 operations; at most 2 are accepted (bulk.maxOperations)", refused.detail());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "[]                                                                  | invalidSyntax",
            "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[]} | invalidValue",
            "{\"failOnErrors\":1}                                                | invalidValue",
            "{\"Operations\":{}}                                                 | invalidValue",
            "{\"Operations\":[],\"failOnErrors\":0}                              | invalidValue",
            "{\"Operations\":[],\"failOnErrors\":\"one\"}                        | invalidValue",
            "{\"Operations\":[],\"failOnErrors\":1.5}                            | invalidValue"})
    void aMalformedEnvelopeIs400(String body, String scimType) {
        ScimException refused = assertThrows(ScimException.class, () -> BulkRequest.parse(json(body), 10));

        assertEquals(400, refused.status());
        assertEquals(scimType, refused.scimType());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "\"POST /Users\"                                                     | invalidSyntax | an operation must be an object",
            "{\"path\":\"/Users\",\"bulkId\":\"a\",\"data\":{}}                   | invalidValue  | 'method' must be POST, PUT, PATCH or DELETE, got nothing",
            "{\"method\":\"GET\",\"path\":\"/Users/1\"}                           | invalidValue  | 'method' must be POST, PUT, PATCH or DELETE, got \"GET\"",
            "{\"method\":\"POST\",\"path\":\"/Users\",\"data\":{}}                | invalidValue  | 'bulkId' is required for a POST operation",
            "{\"method\":\"POST\",\"bulkId\":\"a\",\"data\":{}}                   | invalidValue  | 'path' is required",
            "{\"method\":\"POST\",\"path\":\"/Users/1\",\"bulkId\":\"a\",\"data\":{}} | invalidValue | 'path' of a POST must be /Users, got /Users/1",
            "{\"method\":\"PUT\",\"path\":\"/Groups\",\"data\":{}}                | invalidValue  | 'path' of a PUT must be /Groups/{id}, got /Groups",
            "{\"method\":\"DELETE\",\"path\":\"/Users/1/x\"}                      | invalidValue  | 'path' of a DELETE must be /Users/{id}",
            "{\"method\":\"DELETE\",\"path\":\"/Users/a b\"}                      | invalidValue  | 'path' of a DELETE must be /Users/{id}, got /Users/a b",
            "{\"method\":\"PATCH\",\"path\":\"/Users/1?attributes=x\",\"data\":{}} | invalidValue | 'path' of a PATCH must be /Users/{id}",
            "{\"method\":\"DELETE\",\"path\":\"/Teams/1\"}                        | invalidValue  | 'path' must name /Users or /Groups, got /Teams/1",
            "{\"method\":\"PATCH\",\"path\":\"/Users/1\"}                         | invalidValue  | 'data' is required for a PATCH operation",
            "{\"method\":\"DELETE\",\"path\":\"/Users/1\",\"version\":3}          | invalidValue  | 'version' must be a string, got 3"})
    void aMalformedOperationIs400ForThatOperation(String operation, String scimType, String detail) {
        ScimException refused = refusedOperation(operation);

        assertEquals(400, refused.status());
        assertEquals(scimType, refused.scimType());
        assertTrue(refused.detail().startsWith(detail), refused.detail());
    }
}
