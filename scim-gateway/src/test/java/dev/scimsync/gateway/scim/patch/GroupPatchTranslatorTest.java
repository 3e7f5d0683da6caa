package dev.scimsync.gateway.scim.patch;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anything;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scimsync.contracts.GroupEdit;
import dev.scimsync.gateway.scim.ConfiguredLimits;
import dev.scimsync.gateway.scim.ScimException;
import dev.scimsync.gateway.scim.ScimLimits;
import dev.scimsync.gateway.scim.schema.ResourceType;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.hamcrest.Matcher;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Group PATCH as Okta, Entra ID and others send it, translated to edits without reading the group. */
class GroupPatchTranslatorTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String PATCH_OP = "\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"]";

    private static final ScimLimits LIMITS = ConfiguredLimits.load();
    private static final GroupPatchTranslator TRANSLATOR = new GroupPatchTranslator(ConfiguredLimits.groupRequests());

    private static List<GroupEdit> edits(String operations) throws Exception {
        return TRANSLATOR.edits(PatchRequest.parse(
                MAPPER.readTree("{" + PATCH_OP + ",\"Operations\":" + operations + "}"), ResourceType.GROUP,
                LIMITS.patchOperations()).operations());
    }

    /** {@code n} operations, each adding one member. */
    private static String additions(int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> "{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"u" + i + "\"}]}")
                .collect(Collectors.joining(",", "[", "]"));
    }

    /** PATCH operations (the request's Operations array) and the edits they translate to, in order. */
    static Stream<Arguments> translations() {
        List<String> fiveThousand = IntStream.range(0, 5000).mapToObj(i -> "user-" + i).toList();
        int operationLimit = LIMITS.patchOperations();
        return Stream.of(
                Arguments.of("add members is one addition of their ids", """
                        [{"op":"add","path":"members","value":[{"value":"u1","display":"Ada"},{"value":"u2","$ref":null}]}]""",
                        List.of(GroupEdit.addMembers(List.of("u1", "u2")))),
                Arguments.of("five thousand members travel as one edit",
                        "[{\"op\":\"Add\",\"path\":\"members\",\"value\":[" + fiveThousand.stream()
                                .map(id -> "{\"value\":\"" + id + "\"}").collect(Collectors.joining(",")) + "]}]",
                        List.of(GroupEdit.addMembers(fiveThousand))),
                Arguments.of("Entra's one operation per member is gathered into one addition", """
                        [{"op":"Add","path":"members","value":[{"value":"u1"}]},
                         {"op":"Add","path":"members","value":[{"value":"u2"},{"value":"u1"}]},
                         {"op":"Add","path":"members","value":[{"value":"u3"}]}]""",
                        List.of(GroupEdit.addMembers(List.of("u1", "u2", "u3")))),
                Arguments.of("replace members makes them the only ones",
                        "[{\"op\":\"replace\",\"path\":\"members\",\"value\":[{\"value\":\"u9\"}]}]",
                        List.of(GroupEdit.replaceMembers(List.of("u9")))),
                Arguments.of("replace with an empty list removes all",
                        "[{\"op\":\"replace\",\"path\":\"members\",\"value\":[]}]",
                        List.of(GroupEdit.replaceMembers(List.of()))),
                Arguments.of("remove members without a value removes every member",
                        "[{\"op\":\"remove\",\"path\":\"members\"}]", List.of(GroupEdit.replaceMembers(List.of()))),
                Arguments.of("Entra removes listed members with a value", """
                        [{"op":"Remove","path":"members","value":[{"value":"u1"},{"value":"u2"}]}]""",
                        List.of(GroupEdit.removeMembers(List.of("u1", "u2")))),
                Arguments.of("remove by value filter names the member",
                        "[{\"op\":\"remove\",\"path\":\"members[value eq \\\"u1\\\"]\"}]",
                        List.of(GroupEdit.removeMembers(List.of("u1")))),
                Arguments.of("remove by value filters joined with or", """
                        [{"op":"remove","path":"members[value eq \\"u1\\" or VALUE eq \\"u2\\" or value eq \\"u3\\"]"}]""",
                        List.of(GroupEdit.removeMembers(List.of("u1", "u2", "u3")))),
                Arguments.of("remove by value filters that also name the member's type", """
                        [{"op":"remove","path":"members[value eq \\"u1\\" and type eq \\"User\\"]"},
                         {"op":"remove","path":"members[type eq \\"user\\" and value eq \\"u2\\" or value eq \\"u3\\"]"},
                         {"op":"remove","path":"members[value eq \\"u4\\" and type eq \\"Group\\"]"}]""",
                        List.of(GroupEdit.removeMembers(List.of("u1", "u2", "u3")))),
                Arguments.of("displayName and externalId by path, case-insensitive ops and the core URN", """
                        [{"op":"Replace","path":"urn:ietf:params:scim:schemas:core:2.0:Group:DISPLAYNAME","value":"Engineers"},
                         {"op":"ADD","path":"externalId","value":"ext-1"}]""",
                        List.of(GroupEdit.displayName("Engineers"), GroupEdit.externalId("ext-1"))),
                Arguments.of("Okta's pathless replace ignores the id", """
                        [{"op":"replace","value":{"id":"0f6b1c2d","displayName":"Renamed"}}]""",
                        List.of(GroupEdit.displayName("Renamed"))),
                Arguments.of("a pathless value may carry every attribute", """
                        [{"op":"replace","value":{"displayName":"Ops","externalId":null,"members":[{"value":"u1"}],
                          "meta":{"resourceType":"Group"},"unknown":1}}]""",
                        List.of(GroupEdit.displayName("Ops"), GroupEdit.externalId(null),
                                GroupEdit.replaceMembers(List.of("u1")))),
                Arguments.of("a pathless add of members",
                        "[{\"op\":\"add\",\"value\":{\"members\":[{\"value\":\"u2\"}]}}]",
                        List.of(GroupEdit.addMembers(List.of("u2")))),
                Arguments.of("removing externalId clears it", "[{\"op\":\"remove\",\"path\":\"externalId\"}]",
                        List.of(GroupEdit.externalId(null))),
                Arguments.of("edits keep the order of the operations", """
                        [{"op":"add","path":"members","value":[{"value":"u1"}]},
                         {"op":"remove","path":"members","value":[{"value":"u2"}]},
                         {"op":"remove","path":"members"},
                         {"op":"add","path":"members","value":[{"value":"u3"}]}]""",
                        List.of(GroupEdit.addMembers(List.of("u1")), GroupEdit.removeMembers(List.of("u2")),
                                GroupEdit.replaceMembers(List.of()), GroupEdit.addMembers(List.of("u3")))),
                Arguments.of("operations are accepted up to their limit", additions(operationLimit),
                        List.of(GroupEdit.addMembers(IntStream.range(0, operationLimit).mapToObj(i -> "u" + i)
                                .toList()))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("translations")
    void translates(String name, String operations, List<GroupEdit> expected) throws Exception {
        assertEquals(expected, edits(operations));
    }

    /**
     * PATCH operations refused before anything is sent, with the scimType and a matcher for the detail of
     * the refusal.
     */
    static Stream<Arguments> refusals() {
        int half = LIMITS.membersPerRequest() / 2 + 1;
        String add = "{\"op\":\"add\",\"path\":\"members\",\"value\":[" + IntStream.range(0, half)
                .mapToObj(i -> "{\"value\":\"a-" + i + "\"}").collect(Collectors.joining(",")) + "]}";
        String remove = add.replace("\"add\"", "\"remove\"").replace("a-", "r-");
        int operationLimit = LIMITS.patchOperations();
        return Stream.of(
                Arguments.of("[{\"op\":\"remove\",\"path\":\"members[display eq \\\"Ada\\\"]\"}]", "invalidFilter",
                        containsString("members[value eq")),
                Arguments.of("[{\"op\":\"remove\",\"path\":\"members[value ne \\\"u1\\\"]\"}]", "invalidFilter", anything()),
                Arguments.of("[{\"op\":\"remove\",\"path\":\"members[value eq \\\"u1\\\" and value eq \\\"u2\\\"]\"}]",
                        "invalidFilter", anything()),
                Arguments.of("[{\"op\":\"remove\",\"path\":\"members[type eq \\\"Group\\\" and value pr]\"}]",
                        "invalidFilter", anything()),
                Arguments.of("[{\"op\":\"add\",\"path\":\"members[value eq \\\"u1\\\"]\",\"value\":{\"value\":\"u1\"}}]",
                        "invalidPath", anything()),
                Arguments.of("[{\"op\":\"remove\",\"path\":\"displayName\"}]", "invalidValue", equalTo("'displayName' is required")),
                Arguments.of("[{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"\"}]", "invalidValue", anything()),
                Arguments.of("[{\"op\":\"replace\",\"path\":\"id\",\"value\":\"x\"}]", "mutability", anything()),
                Arguments.of("[{\"op\":\"replace\",\"path\":\"members.value\",\"value\":\"u1\"}]", "invalidPath", anything()),
                Arguments.of("[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"display\":\"no id\"}]}]", "invalidValue",
                        anything()),
                Arguments.of("[{\"op\":\"remove\"}]", "noTarget", anything()),
                // The members of all operations together are held to the limit.
                Arguments.of("[" + add + "," + remove + "]", "invalidValue", equalTo("the request names " + 2 * half
                        + " members; at most " + LIMITS.membersPerRequest()
                        + " are accepted per request (add more with further PATCH requests)")),
                Arguments.of(additions(operationLimit + 1), "invalidValue", equalTo("'Operations' has " + (operationLimit + 1)
                        + " values; at most " + operationLimit + " are accepted")));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void refuses(String operations, String scimType, Matcher<String> detail) {
        ScimException refused = assertThrows(ScimException.class, () -> edits(operations));
        assertEquals(scimType, refused.scimType(), refused::detail);
        assertThat(refused.detail(), detail);
    }
}
