package dev.scimsync.gateway.scim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.contracts.CommandOrigin;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.GroupCommand;
import dev.scimsync.contracts.UserProfile;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Every attribute limit of {@link ScimLimits}, at its limit (accepted) and one over (400 invalidValue naming the
 * attribute and the limit), with the limits application.properties sets.
 */
class RequestLimitsTest {

    private static final ScimLimits LIMITS = ConfiguredLimits.load();
    private static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    private static final String ROLES = "urn:ietf:params:scim:schemas:extension:docker:2.0:User";

    private final UserRequests users = ConfiguredLimits.userRequests();
    private final GroupRequests groups = ConfiguredLimits.groupRequests();
    private final RequestBodies bodies = new RequestBodies(LIMITS);

    /** A User body with one attribute set to a value of the given length, the path errors name, the limit. */
    record Sized(String path, int limit, IntFunction<String> body) {
        @Override
        public String toString() {
            return path;
        }
    }

    static Stream<Sized> userStrings() {
        return Stream.of(
                new Sized("userName", LIMITS.userNameLength(), n -> "{\"userName\":\"" + "u".repeat(n) + "\"}"),
                new Sized("externalId", LIMITS.externalIdLength(), n -> user("\"externalId\":\"" + "e".repeat(n) + "\"")),
                new Sized("displayName", LIMITS.stringLength(), n -> user("\"displayName\":\"" + "d".repeat(n) + "\"")),
                new Sized("name.givenName", LIMITS.stringLength(), n -> user("\"name\":{\"givenName\":\"" + "g".repeat(n)
                        + "\"}")),
                new Sized("name.familyName", LIMITS.stringLength(), n -> user("\"name.familyName\":\""
                        + "f".repeat(n) + "\"")),
                new Sized("title", LIMITS.stringLength(), n -> user("\"title\":\"" + "t".repeat(n) + "\"")),
                new Sized("emails.value", LIMITS.emailLength(), n -> user("\"emails\":[{\"value\":\""
                        + "m".repeat(n - 9) + "@mail.com\"}]")),
                new Sized("emails.display", LIMITS.stringLength(), n -> user("\"emails\":[{\"value\":\"a@b.c\","
                        + "\"display\":\"" + "d".repeat(n) + "\"}]")),
                new Sized("phoneNumbers.value", LIMITS.stringLength(), n -> user("\"phoneNumbers\":[{\"value\":\""
                        + "1".repeat(n) + "\"}]")),
                new Sized("addresses.streetAddress", LIMITS.stringLength(), n -> user("\"addresses\":[{"
                        + "\"streetAddress\":\"" + "s".repeat(n) + "\"}]")),
                new Sized("profileUrl", LIMITS.referenceLength(), n -> user("\"profileUrl\":\"https://x.test/"
                        + "p".repeat(n - 15) + "\"")),
                new Sized("photos.value", LIMITS.referenceLength(), n -> user("\"photos\":[{\"value\":\"https://x.test/"
                        + "p".repeat(n - 15) + "\"}]")),
                new Sized("x509Certificates.value", LIMITS.certificateLength(), n -> user("\"x509Certificates\":[{"
                        + "\"value\":\"" + "A".repeat(n) + "\"}]")),
                new Sized("department", LIMITS.stringLength(), n -> user("\"" + ENTERPRISE + "\":{\"department\":\""
                        + "d".repeat(n) + "\"}")),
                new Sized("manager.value", LIMITS.stringLength(), n -> user("\"" + ENTERPRISE + "\":{\"manager\":\""
                        + "m".repeat(n) + "\"}")),
                new Sized("dockerTeam", LIMITS.stringLength(), n -> user("\"" + ROLES + "\":{\"dockerTeam\":\""
                        + "t".repeat(n) + "\"}")));
    }

    private UserProfile parseUser(byte[] body) {
        return users.toProfile(users.parse(bodies.readJson(body)), true);
    }

    private GroupRequests.Definition parseGroup(byte[] body) {
        return groups.parse(bodies.readJson(body));
    }

    private static String user(String attribute) {
        return "{\"userName\":\"ada@example.com\"," + attribute + "}";
    }

    @ParameterizedTest
    @MethodSource("userStrings")
    void everyUserStringIsAcceptedUpToItsLimitAndRefusedOneOver(Sized attribute) {
        parseUser(bytes(attribute.body().apply(attribute.limit())));

        ScimException over = assertThrows(ScimException.class,
                () -> parseUser(bytes(attribute.body().apply(attribute.limit() + 1))));
        assertEquals(400, over.status());
        assertEquals("invalidValue", over.scimType());
        assertEquals("'" + attribute.path() + "' is " + (attribute.limit() + 1) + " characters long; at most "
                + attribute.limit() + " are accepted", over.detail());
    }

    @Test
    void theIssuesTwoMillionCharacterUserNameIsInvalidValueNamingTheLimit() {
        ScimException over = assertThrows(ScimException.class,
                () -> parseUser(bytes("{\"userName\":\"" + "x".repeat(2_000_000) + "\"}")));
        assertEquals("invalidValue", over.scimType());
        assertEquals("'userName' is 2000000 characters long; at most " + LIMITS.userNameLength() + " are accepted",
                over.detail());
    }

    @Test
    void lengthsCountCharactersNotUtf16Units() {
        // One emoji is two UTF-16 units: a userName of as many emoji as the limit is not over it.
        String emoji = "\uD83D\uDE00".repeat(LIMITS.userNameLength());
        assertEquals(emoji, parseUser(bytes("{\"userName\":\"" + emoji + "\"}")).userName());
    }

    @Test
    void multiValuedAttributesTakeUpToTheirLimitOfEntries() {
        IntFunction<String> emails = n -> user("\"emails\":[" + IntStream.range(0, n)
                .mapToObj(i -> "{\"value\":\"a" + i + "@example.com\"}").collect(Collectors.joining(",")) + "]");
        UserProfile atLimit = parseUser(bytes(emails.apply(LIMITS.multiValuedEntries())));
        assertEquals(LIMITS.multiValuedEntries(), atLimit.attributes().path("emails").size());

        ScimException over = assertThrows(ScimException.class,
                () -> parseUser(bytes(emails.apply(LIMITS.multiValuedEntries() + 1))));
        assertEquals("invalidValue", over.scimType());
        assertEquals("'emails' has " + (LIMITS.multiValuedEntries() + 1) + " values; at most "
                + LIMITS.multiValuedEntries() + " are accepted", over.detail());
        // 100,000 entries are refused by their count, before any is read.
        assertEquals("invalidValue", assertThrows(ScimException.class,
                () -> parseUser(bytes(user("\"phoneNumbers\":[" + "\"1\",".repeat(99_999) + "\"1\"]"))))
                .scimType());
    }

    @Test
    void groupDisplayNameExternalIdAndMemberIdsHaveTheirLimits() {
        parseGroup(bytes(group("d".repeat(LIMITS.stringLength()), "e".repeat(LIMITS.externalIdLength()),
                List.of("m".repeat(LIMITS.memberIdLength())))));

        assertEquals("'displayName' is " + (LIMITS.stringLength() + 1) + " characters long; at most "
                + LIMITS.stringLength() + " are accepted", groupRefused(group("d".repeat(LIMITS.stringLength() + 1),
                null, List.of())).detail());
        assertEquals("'externalId' is " + (LIMITS.externalIdLength() + 1) + " characters long; at most "
                + LIMITS.externalIdLength() + " are accepted", groupRefused(group("g", "e".repeat(
                LIMITS.externalIdLength() + 1), List.of())).detail());
        assertEquals("'members[1].value' is " + (LIMITS.memberIdLength() + 1) + " characters long; at most "
                + LIMITS.memberIdLength() + " are accepted", groupRefused(group("g", null, List.of("u1",
                "m".repeat(LIMITS.memberIdLength() + 1)))).detail());
    }

    @Test
    void aGroupOfTwentyThousandIsAcceptedAndOneOverTheMembersLimitIsNot() {
        List<String> twentyThousand = uuids(20_000);
        assertEquals(twentyThousand, parseGroup(bytes(group("big", null, twentyThousand))).memberIds());
        assertEquals(LIMITS.membersPerRequest(),
                parseGroup(bytes(group("big", null, uuids(LIMITS.membersPerRequest())))).memberIds().size());

        ScimException over = groupRefused(group("big", null, uuids(LIMITS.membersPerRequest() + 1)));
        assertEquals("invalidValue", over.scimType());
        assertEquals("the request names " + (LIMITS.membersPerRequest() + 1) + " members; at most "
                + LIMITS.membersPerRequest() + " are accepted per request (add more with further PATCH requests)",
                over.detail());
    }

    /**
     * The members limit and the group command budget agree: a replace naming as many UUIDs as accepted, with
     * the longest displayName and externalId (in characters that JSON escapes to six bytes each), is a command
     * within the budget - so a request within the attribute limits is never refused for its size.
     */
    @Test
    void theLargestGroupRequestMakesACommandWithinTheBudget() {
        String sixBytesEach = "\u0001";
        GroupCommand largest = GroupCommand.replace(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                sixBytesEach.repeat(LIMITS.stringLength()), sixBytesEach.repeat(LIMITS.externalIdLength()),
                uuids(LIMITS.membersPerRequest()), Long.MAX_VALUE, new CommandOrigin("aaaaaaaaaaaa",
                        sixBytesEach.repeat(200), "2001:db8::1", sixBytesEach.repeat(512)));
        int bytes = ContractJson.write(largest).length;
        assertTrue(bytes <= LIMITS.groupCommandBytes(), bytes + " bytes");
    }

    @Test
    void jsonDeeperThanTheLimitOrWithTooManyTokensIsInvalidSyntax() {
        int depth = LIMITS.jsonDepth();
        assertEquals("invalidSyntax", assertThrows(ScimException.class,
                () -> parseUser(bytes(user("\"x\":" + "[".repeat(depth) + "]".repeat(depth))))).scimType());
        ScimException deep = assertThrows(ScimException.class, () -> bodies.readJson(bytes("[".repeat(10_000))));
        assertEquals("invalidSyntax", deep.scimType());
        assertEquals("the request body is over a limit: Document nesting depth (" + (depth + 1)
                + ") exceeds the maximum allowed (" + depth + ")", deep.detail());
        // Each {} is two tokens: a body of empty objects is refused at the token limit, not parsed whole.
        ScimException many = assertThrows(ScimException.class, () -> bodies.readJson(bytes("[" + "{},".repeat(
                LIMITS.jsonTokens() / 2) + "{}]")));
        assertEquals("invalidSyntax", many.scimType());
        assertTrue(many.detail().startsWith("the request body is over a limit: Token count"), many.detail());
    }

    @Test
    void hugeNumbersAndLongKeysAreAnsweredNotParsedForever() {
        assertEquals("invalidValue", assertThrows(ScimException.class,
                () -> parseUser(bytes(user("\"active\":1e999999999")))).scimType());
        assertEquals("invalidSyntax", assertThrows(ScimException.class,
                () -> parseUser(bytes(user("\"active\":" + "9".repeat(100_000))))).scimType());
        assertEquals("invalidSyntax", assertThrows(ScimException.class,
                () -> parseUser(bytes(user("\"" + "k".repeat(100_000) + "\":1")))).scimType());
    }

    @Test
    void anOverlongValueIsQuotedShortInTheError() {
        ScimException wrongType = assertThrows(ScimException.class,
                () -> parseUser(bytes(user("\"active\":\"" + "y".repeat(1_000_000) + "\""))));
        assertTrue(wrongType.detail().length() < 300, wrongType.detail());
        assertTrue(wrongType.detail().endsWith("(1000002 characters)"), wrongType.detail());
    }

    private ScimException groupRefused(String body) {
        ScimException refused = assertThrows(ScimException.class, () -> parseGroup(bytes(body)));
        assertEquals(400, refused.status());
        assertEquals("invalidValue", refused.scimType());
        return refused;
    }

    static String group(String displayName, String externalId, List<String> members) {
        return "{\"displayName\":\"" + displayName + "\"," + (externalId == null ? "" : "\"externalId\":\""
                + externalId + "\",") + "\"members\":[" + members.stream().map(id -> "{\"value\":\"" + id + "\"}")
                .collect(Collectors.joining(",")) + "]}";
    }

    static List<String> uuids(int count) {
        return IntStream.range(0, count).mapToObj(i -> UUID.randomUUID().toString()).toList();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
