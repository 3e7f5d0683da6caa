package dev.scimsync.gateway.scim.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.scimsync.gateway.scim.ScimEndpoints;
import dev.scimsync.gateway.scim.ScimException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The order, results and stopping of a Bulk request, with a performer standing in for the single-resource endpoints:
 * it creates what it is asked to, refuses a userName of "taken" with 409 and fails every other data with 400.
 */
class BulkRunTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ScimEndpoints ENDPOINTS = new ScimEndpoints(URI.create("https://scim.example.com/scim/v2"));

    /** The operations the performer was given, references resolved, in the order it was given them. */
    private final List<BulkOperation> performed = new ArrayList<>();

    private Uni<Response> perform(int index, BulkOperation operation) {
        performed.add(operation);
        JsonNode data = operation.data();
        if (data != null && data.path("userName").asText().equals("taken")) {
            throw ScimException.uniqueness("userName 'taken' is already taken");
        }
        if (data != null && data.has("unreadableAnswer")) {
            // A bug's shape: a 201 without the created resource, which the run cannot read an id from.
            return Uni.createFrom().item(Response.status(201).build());
        }
        if (data != null && data.has("notNow")) {
            return Uni.createFrom().failure(data.path("notNow").asInt() == 429
                    ? ScimException.tooManyRequests("over the connection's rate limit", 1)
                    : ScimException.unavailable("membership-service has not answered yet", 5));
        }
        if (data != null && data.has("bad")) {
            return Uni.createFrom().failure(ScimException.invalidValue("'bad' is bad"));
        }
        return Uni.createFrom().item(switch (operation.method()) {
            case POST -> {
                String id = UUID.randomUUID().toString();
                yield Response.created(ENDPOINTS.user(id)).header(HttpHeaders.ETAG, "W/\"1\"")
                        .entity(JsonNodeFactory.instance.objectNode().put("id", id)).build();
            }
            case PUT, PATCH -> Response.ok().header(HttpHeaders.ETAG, "W/\"2\"").build();
            case DELETE -> Response.noContent().build();
        });
    }

    private List<BulkResult> run(String request) {
        try {
            return BulkRun.run(BulkRequest.parse(JSON.readTree(request), 1000), ENDPOINTS, this::perform)
                    .await().atMost(Duration.ofSeconds(10));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void aUserAndAGroupReferringToItAreCreatedInOrderAndTheResultsNameThem() {
        List<BulkResult> results = run("""
                {"Operations":[
                  {"method":"POST","path":"/Users","bulkId":"qwerty","data":{"userName":"alice"}},
                  {"method":"POST","path":"/Groups","bulkId":"ytrewq","data":{"displayName":"Tour Guides",
                   "members":[{"type":"User","value":"bulkId:qwerty"}]}},
                  {"method":"PATCH","path":"/Groups/bulkId:ytrewq","version":"W/\\"1\\"",
                   "data":{"Operations":[{"op":"add","path":"members","value":[{"value":"bulkId:qwerty"}]}]}},
                  {"method":"DELETE","path":"/Users/bulkId:qwerty"}]}""");

        String userId = performed.get(1).data().path("members").path(0).path("value").asText();
        assertEquals(results.get(0).location(), "https://scim.example.com/scim/v2/Users/" + userId);
        assertEquals(new BulkResult("POST", "qwerty", "W/\"1\"", "https://scim.example.com/scim/v2/Users/" + userId,
                201, null), results.get(0));
        assertEquals(201, results.get(1).status());
        String groupId = performed.get(2).id();
        assertEquals(new BulkResult("PATCH", null, "W/\"2\"", "https://scim.example.com/scim/v2/Groups/" + groupId,
                200, null), results.get(2));
        assertEquals(userId, performed.get(2).data().path("Operations").path(0).path("value").path(0).path("value")
                .asText());
        assertEquals(userId, performed.get(3).id());
        assertEquals(new BulkResult("DELETE", null, null, "https://scim.example.com/scim/v2/Users/" + userId, 204,
                null), results.get(3));
    }

    @Test
    void failuresAreListedWithTheirScimErrorAndTheOtherOperationsGoOn() {
        List<BulkResult> results = run("""
                {"Operations":[
                  {"method":"POST","path":"/Users","bulkId":"a","data":{"userName":"taken"}},
                  {"method":"PUT","path":"/Users/u-1","data":{"bad":true}},
                  {"method":"POST","path":"/Groups","bulkId":"g","data":{"members":[{"value":"bulkId:a"}]}},
                  {"method":"FETCH","bulkId":"f","path":"/Users"},
                  {"method":"POST","path":"/Users","bulkId":"b","data":{"userName":"bob"}}]}""");

        assertEquals(List.of(409, 400, 409, 400, 201), results.stream().map(BulkResult::status).toList());
        BulkResult uniqueness = results.get(0);
        assertNull(uniqueness.location(), "a failed POST has no location");
        assertEquals("urn:ietf:params:scim:api:messages:2.0:Error", uniqueness.response().path("schemas").path(0).asText());
        assertEquals("409", uniqueness.response().path("status").asText());
        assertEquals("uniqueness", uniqueness.response().path("scimType").asText());
        assertEquals("https://scim.example.com/scim/v2/Users/u-1", results.get(1).location());
        assertEquals("'bad' is bad", results.get(1).response().path("detail").asText());
        assertEquals("'bulkId:a' cannot be resolved: the POST of that bulkId created nothing",
                results.get(2).response().path("detail").asText());
        assertEquals(new BulkResult("FETCH", "f", null, null, 400, results.get(3).response()), results.get(3));
        assertEquals(List.of("taken", "bob"), performed.stream().filter(op -> op.method() == BulkOperation.Method.POST)
                .map(op -> op.data().path("userName").asText()).toList(), "the unresolvable group was not performed");
    }

    @Test
    void failOnErrorsStopsAfterThatManyFailuresAndListsNothingAfter() {
        List<BulkResult> results = run("""
                {"failOnErrors":2,"Operations":[
                  {"method":"POST","path":"/Users","bulkId":"a","data":{"userName":"alice"}},
                  {"method":"POST","path":"/Users","bulkId":"b","data":{"userName":"taken"}},
                  {"method":"POST","path":"/Users","bulkId":"c","data":{"userName":"carol"}},
                  {"method":"DELETE","path":"/Users"},
                  {"method":"POST","path":"/Users","bulkId":"d","data":{"userName":"dan"}}]}""");

        assertEquals(List.of(201, 409, 201, 400), results.stream().map(BulkResult::status).toList());
        assertEquals(3, performed.size());
    }

    /**
     * A PUT refused 429 and the PATCH after it applied: the client sends the PUT again, and its values win over the
     * PATCH it meant to come after. A "not now" halts the run: the rest are listed with it, not performed.
     */
    @Test
    void aRefusalForNowHaltsTheRunAndTheRestAreListedNotPerformed() {
        for (int status : new int[] {429, 503}) {
            performed.clear();
            String id = UUID.randomUUID().toString();
            List<BulkResult> results = run("""
                    {"Operations":[
                      {"method":"PUT","path":"/Users/%s","data":{"userName":"a","title":"A","notNow":%d}},
                      {"method":"PATCH","path":"/Users/%s","bulkId":"p","data":{"Operations":[]}},
                      {"method":"POST","path":"/Users","bulkId":"n","data":{"userName":"b"}},
                      {"method":"get"}]}""".formatted(id, status, id));

            assertEquals(1, performed.size(), "only the operation refused for now was tried");
            assertEquals(List.of(status, status, status, status), results.stream().map(BulkResult::status).toList());
            BulkResult patch = results.get(1);
            assertEquals("PATCH", patch.method());
            assertEquals("p", patch.bulkId());
            assertEquals("https://scim.example.com/scim/v2/Users/" + id, patch.location());
            assertEquals("not performed: operation 1 before it was answered " + status + "; send it again with this one",
                    patch.response().path("detail").asText());
            assertEquals("n", results.get(2).bulkId());
            assertNull(results.get(2).location());
        }
    }

    @Test
    void failOnErrorsOfOneStopsAtTheFirstFailure() {
        List<BulkResult> results = run("""
                {"failOnErrors":1,"Operations":[
                  {"method":"PUT","path":"/Users/u-1","data":{"bad":true}},
                  {"method":"POST","path":"/Users","bulkId":"a","data":{"userName":"alice"}}]}""");

        assertEquals(List.of(400), results.stream().map(BulkResult::status).toList());
        assertEquals(1, performed.size());
    }

    @Test
    void aThousandOperationsThatFailAtOnceAreAllAnswered() {
        String operations = IntStream.range(0, 1000).mapToObj(i -> "{\"method\":\"DELETE\",\"path\":\"/Users\"}")
                .collect(Collectors.joining(","));

        List<BulkResult> results = run("{\"Operations\":[" + operations + "]}");

        assertEquals(1000, results.size());
        assertEquals(0, performed.size());
    }

    @Test
    void anAnswerThatCannotBeReadFailsItsOperationAloneAndTheOthersGoOn() {
        List<BulkResult> results = run("""
                {"Operations":[
                  {"method":"POST","path":"/Users","bulkId":"a","data":{"userName":"alice","unreadableAnswer":true}},
                  {"method":"POST","path":"/Users","bulkId":"b","data":{"userName":"bob"}}]}""");

        assertEquals(List.of(500, 201), results.stream().map(BulkResult::status).toList());
        assertEquals("internal error; it has been logged", results.get(0).response().path("detail").asText());
        assertEquals(2, performed.size());
    }

    @Test
    void theResponseListsTheResultsWithStatusesAsStrings() {
        JsonNode response = BulkResult.response(List.of(
                new BulkResult("POST", "qwerty", "W/\"1\"", "https://x/Users/1", 201, null),
                new BulkResult("DELETE", null, null, "https://x/Users/2", 404,
                        JsonNodeFactory.instance.objectNode().put("status", "404"))));

        assertEquals("urn:ietf:params:scim:api:messages:2.0:BulkResponse", response.path("schemas").path(0).asText());
        assertEquals("""
                [{"method":"POST","bulkId":"qwerty","version":"W/\\"1\\"","location":"https://x/Users/1","status":"201"},\
                {"method":"DELETE","location":"https://x/Users/2","status":"404","response":{"status":"404"}}]""",
                response.path("Operations").toString());
    }
}
