package dev.scimsync.gateway.scim.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scimsync.contracts.GroupEdit;
import dev.scimsync.gateway.scim.ConfiguredLimits;
import dev.scimsync.gateway.scim.ScimException;
import dev.scimsync.gateway.scim.ScimLimits;
import dev.scimsync.gateway.scim.schema.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Group PATCH as Okta, Entra ID and others send it, translated to edits without reading the group. */
class GroupPatchTranslatorTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String PATCH_OP = "\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"]";

    private static final ScimLimits LIMITS = ConfiguredLimits.load();
    private static final GroupPatchTranslator TRANSLATOR = new GroupPatchTranslator(ConfiguredLimits.groupRequests());

    private static List<GroupEdit> edits(String operations) throws Exception {
        return TRANSLATOR.edits(PatchOperation.parseRequest(
                MAPPER.readTree("{" + PATCH_OP + ",\"Operations\":" + operations + "}"), ResourceType.GROUP,
                LIMITS.patchOperations()));
    }

    private static ScimException rejected(String operations) {
        return assertThrows(ScimException.class, () -> edits(operations));
    }

    @Test
    void addMembersIsOneAdditionOfTheirIds() throws Exception {
        assertEquals(List.of(GroupEdit.addMembers(List.of("u1", "u2"))), edits("""
                [{"op":"add","path":"members","value":[{"value":"u1","display":"Ada"},{"value":"u2","$ref":null}]}]"""));
    }

    @Test
    void fiveThousandMembersTravelAsOneEdit() throws Exception {
        List<String> ids = IntStream.range(0, 5000).mapToObj(i -> "user-" + i).toList();
        String values = ids.stream().map(id -> "{\"value\":\"" + id + "\"}").collect(Collectors.joining(","));

        List<GroupEdit> edits = edits("[{\"op\":\"Add\",\"path\":\"members\",\"value\":[" + values + "]}]");

        assertEquals(1, edits.size());
        assertEquals(GroupEdit.Kind.ADD_MEMBERS, edits.get(0).kind());
        assertEquals(ids, edits.get(0).members());
    }

    @Test
    void entraOneOperationPerMemberIsGatheredIntoOneAddition() throws Exception {
        assertEquals(List.of(GroupEdit.addMembers(List.of("u1", "u2", "u3"))), edits("""
                [{"op":"Add","path":"members","value":[{"value":"u1"}]},
                 {"op":"Add","path":"members","value":[{"value":"u2"},{"value":"u1"}]},
                 {"op":"Add","path":"members","value":[{"value":"u3"}]}]"""));
    }

    @Test
    void replaceMembersMakesThemTheOnlyOnesAndAnEmptyListRemovesAll() throws Exception {
        assertEquals(List.of(GroupEdit.replaceMembers(List.of("u9"))),
                edits("[{\"op\":\"replace\",\"path\":\"members\",\"value\":[{\"value\":\"u9\"}]}]"));
        assertEquals(List.of(GroupEdit.replaceMembers(List.of())),
                edits("[{\"op\":\"replace\",\"path\":\"members\",\"value\":[]}]"));
    }

    @Test
    void removeMembersWithoutAValueRemovesEveryMember() throws Exception {
        assertEquals(List.of(GroupEdit.replaceMembers(List.of())), edits("[{\"op\":\"remove\",\"path\":\"members\"}]"));
    }

    @Test
    void entraRemovesListedMembersWithAValue() throws Exception {
        assertEquals(List.of(GroupEdit.removeMembers(List.of("u1", "u2"))), edits("""
                [{"op":"Remove","path":"members","value":[{"value":"u1"},{"value":"u2"}]}]"""));
    }

    @Test
    void removeByValueFilterNamesTheMembersAlsoJoinedWithOr() throws Exception {
        assertEquals(List.of(GroupEdit.removeMembers(List.of("u1"))),
                edits("[{\"op\":\"remove\",\"path\":\"members[value eq \\\"u1\\\"]\"}]"));
        assertEquals(List.of(GroupEdit.removeMembers(List.of("u1", "u2", "u3"))), edits("""
                [{"op":"remove","path":"members[value eq \\"u1\\" or VALUE eq \\"u2\\" or value eq \\"u3\\"]"}]"""));
    }

    @Test
    void otherMemberFiltersAreInvalidFilterNamingWhatWorks() {
        ScimException byDisplay = rejected("[{\"op\":\"remove\",\"path\":\"members[display eq \\\"Ada\\\"]\"}]");
        assertEquals("invalidFilter", byDisplay.scimType());
        assertEquals(true, byDisplay.detail().contains("members[value eq"));
        assertEquals("invalidFilter",
                rejected("[{\"op\":\"remove\",\"path\":\"members[value ne \\\"u1\\\"]\"}]").scimType());
        assertEquals("invalidFilter", rejected(
                "[{\"op\":\"remove\",\"path\":\"members[value eq \\\"u1\\\" and value eq \\\"u2\\\"]\"}]").scimType());
        assertEquals("invalidPath", rejected(
                "[{\"op\":\"add\",\"path\":\"members[value eq \\\"u1\\\"]\",\"value\":{\"value\":\"u1\"}}]").scimType());
    }

    @Test
    void displayNameAndExternalIdByPathWithCaseInsensitiveOpsAndTheCoreUrn() throws Exception {
        assertEquals(List.of(GroupEdit.displayName("Engineers"), GroupEdit.externalId("ext-1")), edits("""
                [{"op":"Replace","path":"urn:ietf:params:scim:schemas:core:2.0:Group:DISPLAYNAME","value":"Engineers"},
                 {"op":"ADD","path":"externalId","value":"ext-1"}]"""));
    }

    @Test
    void oktaPathlessReplaceIgnoresTheId() throws Exception {
        assertEquals(List.of(GroupEdit.displayName("Renamed")), edits("""
                [{"op":"replace","value":{"id":"0f6b1c2d","displayName":"Renamed"}}]"""));
    }

    @Test
    void pathlessValueMayCarryEveryAttribute() throws Exception {
        assertEquals(List.of(GroupEdit.displayName("Ops"), GroupEdit.externalId(null),
                GroupEdit.replaceMembers(List.of("u1"))), edits("""
                [{"op":"replace","value":{"displayName":"Ops","externalId":null,"members":[{"value":"u1"}],
                  "meta":{"resourceType":"Group"},"unknown":1}}]"""));
        assertEquals(List.of(GroupEdit.addMembers(List.of("u2"))),
                edits("[{\"op\":\"add\",\"value\":{\"members\":[{\"value\":\"u2\"}]}}]"));
    }

    @Test
    void removingExternalIdClearsItAndRemovingDisplayNameIsRefused() throws Exception {
        assertEquals(List.of(GroupEdit.externalId(null)), edits("[{\"op\":\"remove\",\"path\":\"externalId\"}]"));
        ScimException displayName = rejected("[{\"op\":\"remove\",\"path\":\"displayName\"}]");
        assertEquals("invalidValue", displayName.scimType());
        assertEquals("'displayName' is required", displayName.detail());
        assertEquals("invalidValue",
                rejected("[{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"\"}]").scimType());
    }

    @Test
    void editsKeepTheOrderOfTheOperations() throws Exception {
        List<GroupEdit> expected = new ArrayList<>();
        expected.add(GroupEdit.addMembers(List.of("u1")));
        expected.add(GroupEdit.removeMembers(List.of("u2")));
        expected.add(GroupEdit.replaceMembers(List.of()));
        expected.add(GroupEdit.addMembers(List.of("u3")));
        assertEquals(expected, edits("""
                [{"op":"add","path":"members","value":[{"value":"u1"}]},
                 {"op":"remove","path":"members","value":[{"value":"u2"}]},
                 {"op":"remove","path":"members"},
                 {"op":"add","path":"members","value":[{"value":"u3"}]}]"""));
    }

    @Test
    void badPathsAndValuesAreRefusedBeforeAnythingIsSent() {
        assertEquals("invalidPath", rejected("[{\"op\":\"replace\",\"path\":\"title\",\"value\":\"x\"}]").scimType());
        assertEquals("mutability", rejected("[{\"op\":\"replace\",\"path\":\"id\",\"value\":\"x\"}]").scimType());
        assertEquals("invalidPath",
                rejected("[{\"op\":\"replace\",\"path\":\"members.value\",\"value\":\"u1\"}]").scimType());
        assertEquals("invalidValue",
                rejected("[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"display\":\"no id\"}]}]").scimType());
        assertEquals("noTarget", rejected("[{\"op\":\"remove\"}]").scimType());
    }

    @Test
    void theMembersOfAllOperationsTogetherAreHeldToTheLimit() {
        int half = LIMITS.membersPerRequest() / 2 + 1;
        String add = "{\"op\":\"add\",\"path\":\"members\",\"value\":[" + IntStream.range(0, half)
                .mapToObj(i -> "{\"value\":\"a-" + i + "\"}").collect(Collectors.joining(",")) + "]}";
        String remove = add.replace("\"add\"", "\"remove\"").replace("a-", "r-");
        ScimException over = rejected("[" + add + "," + remove + "]");
        assertEquals("invalidValue", over.scimType());
        assertEquals("the request names " + 2 * half + " members; at most " + LIMITS.membersPerRequest()
                + " are accepted per request (add more with further PATCH requests)", over.detail());
    }

    @Test
    void operationsAreAcceptedUpToTheirLimit() throws Exception {
        IntFunction<String> operations = n -> IntStream.range(0, n)
                .mapToObj(i -> "{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"u" + i + "\"}]}")
                .collect(Collectors.joining(",", "[", "]"));
        assertEquals(LIMITS.patchOperations(), edits(operations.apply(LIMITS.patchOperations())).get(0).members().size());

        ScimException over = rejected(operations.apply(LIMITS.patchOperations() + 1));
        assertEquals("invalidValue", over.scimType());
        assertEquals("'Operations' has " + (LIMITS.patchOperations() + 1) + " values; at most "
                + LIMITS.patchOperations() + " are accepted", over.detail());
    }
}
