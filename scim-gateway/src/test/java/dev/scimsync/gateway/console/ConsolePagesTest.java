package dev.scimsync.gateway.console;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.scimsync.gateway.api.GatewayTestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every console page rendered from the admin API's answers (JSON as the services write it, with fields the console
 * does not show, which it ignores): what each page shows of them, and the notices the forms leave. The admin API
 * is played by {@link FakeAdminApi}, one server for membership-service, group-sync-service and audit-service.
 */
@QuarkusTest
@QuarkusTestResource(value = ConsolePagesTest.FakeAdminApi.class, restrictToAnnotatedClass = true)
class ConsolePagesTest {

    private static String session;
    private static String csrf;

    /** Signs in once (in a test: RestAssured has the test server's port only then). */
    @BeforeEach
    void signIn() {
        if (session != null) {
            return;
        }
        Response form = given().get("/console/sign-in");
        Matcher formValue = Pattern.compile("name=\"form\" value=\"([^\"]+)\"").matcher(form.asString());
        assertTrue(formValue.find(), "the sign-in form");
        Response signedIn = given().redirects().follow(false).contentType(ContentType.URLENC)
                .cookie("scimsync_console_form", form.getCookie("scimsync_console_form"))
                .formParam("form", formValue.group(1)).formParam("token", "test-admin-token").post("/console/sign-in");
        assertEquals(303, signedIn.statusCode());
        session = signedIn.getCookie("scimsync_console");
        Matcher value = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page("/console/connections", 200));
        assertTrue(value.find(), "the page's forms carry the CSRF value");
        csrf = value.group(1);
    }

    @Test
    void connectionsListTheirSettingsAndOrganizationsTheirSeats() {
        String page = page("/console/connections", 200);
        assertContains(page, "<td><a href=\"/console/connections/acme%20sso\">acme sso</a></td>",
                "<td>acme, acme-labs</td>", "<td><span class=\"on\">on</span></td>", "<td><span class=\"off\">off</span></td>",
                "<td>editor</td>",
                "<meter min=\"0\" max=\"10\" value=\"12\" high=\"10\" aria-label=\"Seats used in acme\">",
                "<span class=\"warn\">10 of 10 seats used (2 deactivated, holding none)</span>",
                "<span >4 active members, no seat limit</span>", "<option value=\"acme-labs\">acme-labs</option>");
    }

    @Test
    void aConnectionShowsItsTokensAndSettingsAndANewTokenOnce() {
        String page = page("/console/connections/acme%20sso", 200);
        assertContains(page, "<code>aaaaaaaaaaaa</code>", "<td>2026-11-01 09:30:00 UTC</td>", "<td>never</td>",
                "<td>2026-11-29 23:59:59 UTC</td>",
                "action=\"/console/connections/acme%20sso/tokens/aaaaaaaaaaaa/revoke\"",
                "name=\"scimEnabled\" value=\"true\" checked>", "name=\"jitEnabled\" value=\"true\" >",
                "value=\"acme, acme-labs\"", "<option value=\"acme\" selected>acme</option>",
                "name=\"defaultTeam\" value=\"everyone\"", "<option selected>editor</option>",
                "href=\"/console/organizations/acme-labs/members\">Members of acme-labs</a>");
        assertTrue(!page.contains("new-token"), "no new token unless one was just issued");

        Response issued = form("/console/connections/acme%20sso/tokens", Map.of());
        assertEquals(201, issued.statusCode());
        assertContains(issued.asString(), "<label for=\"new-token\">Token eeeeeeeeeeee</label>",
                "<input id=\"new-token\" value=\"scim_eeeeeeeeeeee_secret\" readonly data-copy>",
                "New SCIM token: copy it now", "Only a salted hash is stored");
        assertEquals("Token aaaaaaaaaaaa revoked. Calls with it are refused from now on.",
                notice(form("/console/connections/acme%20sso/tokens/aaaaaaaaaaaa/revoke", Map.of())));
    }

    @Test
    void anOrganizationOtherThanTheDefaultCanBeUnlinked() {
        String page = page("/console/connections/acme%20sso", 200);
        assertContains(page, "action=\"/console/connections/acme%20sso/unlink\"",
                "<select id=\"unlink-org\" name=\"organization\" aria-describedby=\"unlink-org-help\">\n      <option>acme-labs</option>\n    </select>");
        assertEquals("Organization acme-labs unlinked.",
                notice(form("/console/connections/acme%20sso/unlink", Map.of("organization", "acme-labs"))));
        assertEquals("choose the organization to unlink",
                error(form("/console/connections/acme%20sso/unlink", Map.of("organization", " "))));
    }

    @Test
    void groupsShowWhereTheirMembersGoAndAMappingSaysWhatItFills() {
        String page = page("/console/connections/acme%20sso/groups", 200);
        assertContains(page, "<td>Engineering (All)</td>", "<td>7</td>",
                "<a href=\"/console/organizations/acme/teams/developers\">acme:developers</a> (member)",
                "<span class=\"warn\">unmapped</span>: no team named Engineering (All)",
                "action=\"/console/connections/acme%20sso/group-mappings/g-3/remove\"",
                "<option value=\"g-2\">Engineering (All)</option>", "<option>acme-labs</option>");
        assertEquals("Group Engineering (All) now fills acme:platform.", notice(form(
                "/console/connections/acme%20sso/group-mappings", Map.of("groupId", "g-2", "organization", "acme",
                        "team", "platform", "role", "member"))));
    }

    @Test
    void troubleshootingShowsErrorsWhatTheGatewaysSawAndAMigrationReport() {
        String page = page("/console/connections/acme%20sso/troubleshooting", 200);
        assertContains(page, "<span class=\"badge\">UNMAPPED_GROUP</span> group.create of Engineering (All)",
                "<dt>When</dt><dd>2026-11-30 08:00:00 UTC · 4 times since 2026-11-29 08:00:00 UTC</dd>", "request id <code>req-1</code>",
                "<a href=\"/console/connections/acme%20sso/groups\">Map it to a team</a>",
                "<td>User</td><td><code>urn:custom:costCenter</code> <span class=\"badge\">extension</span></td><td>3</td>",
                "<td><code>aaaaaaaaaaaa</code></td><td>revoked</td><td>2</td>", "<td>missing</td><td>5</td>",
                "<td>PATCH</td><td>pat@example.com</td><td><strong>active</strong></td><td>2</td>",
                "<td>DELETE</td><td>Group <code>g-1</code></td><td>-</td><td>1</td>",
                "Adoption is <strong>off</strong>");
        Response report = form("/console/connections/acme%20sso/migration", Map.of("dryRun", "true"));
        assertEquals(200, report.statusCode());
        assertContains(report.asString(), "Dry run: nothing changed",
                "<p>2 member(s) can be adopted: ada@example.com, bob@example.com.</p>", "<p>1 cannot:</p>",
                "<li>eve@example.com: added by hand</li>");
        assertTrue(!report.asString().contains("Adopt the members of"), "the other migration's report is not shown");
    }

    @Test
    void anOrganizationMovingToThisIdpIsDryRunThenAdoptedThenStopped() {
        assertContains(page("/console/connections/acme%20sso/troubleshooting", 200), "Adopting from no connection.");
        Response dryRun = form("/console/connections/acme%20sso/move-from", Map.of("from", "acme-okta",
                "dryRun", "true"));
        assertEquals(200, dryRun.statusCode());
        assertContains(dryRun.asString(), "Dry run: nothing changed",
                "<p>1 member(s) of acme-okta can be adopted: pat@example.com.</p>",
                "<li>lee@example.com: deactivated by the IdP of connection acme-okta</li>",
                "<input type=\"hidden\" name=\"from\" value=\"acme-okta\">",
                "<button type=\"submit\">Adopt the members of acme-okta</button>");
        assertTrue(!dryRun.asString().contains("Migration done"), "the JIT migration's report is not shown");
        assertEquals("Adoption stopped: the old connection's members are refused as another connection's members "
                + "again.", notice(form("/console/connections/acme%20sso/move-from/stop", Map.of())));
    }

    @Test
    void activityIsChartedWithTheSeatsOfTheLinkedOrganizations() {
        String page = page("/console/connections/acme%20sso/activity", 200);
        assertContains(page, "5 created · 1 updated · 0 reactivated ·", "<span class=\"warn\">2 errors</span>",
                "class=\"s-created\"><title>Nov 30 10:00: 5 created</title>",
                "<tr><td>Nov 30 10:00</td><td>5</td><td>1</td><td>0</td><td>0</td><td>0</td><td>2</td></tr>",
                "<span class=\"warn\">10 of 10 seats used (2 deactivated, holding none)</span>");
        assertTrue(!page.contains(">open</a>"), "organizations not linked to the connection are not shown");
        assertContains(page("/console/connections/acme%20sso/activity?bucket=day", 200), "<strong>Per day, last 30 days</strong>");
    }

    @Test
    void heldChangesShowTheGuardAndWhatItHolds() {
        String page = page("/console/connections/acme%20sso/held-changes", 200);
        assertContains(page, "more than 20% of this connection's SCIM members, or more than 50, within 60 minutes "
                        + "(and at least 5 are always let through)",
                "<strong>2</strong> held now. In the current window: 9 deactivated or removed, 40 active SCIM members.",
                "<button type=\"submit\">Approve all 2</button>", "<td>ada@example.com</td>", "<td>deactivate</td>",
                "<td>2026-11-30 10:15:00 UTC</td>", "rejected - the IdP still believes it: fix it there",
                "<td>2026-11-30 11:00:00 UTC</td>", "name=\"enabled\" checked>", "name=\"percent\" inputmode=\"numeric\" value=\"20\"");
        assertEquals("Approved: 2 applied in the order the IdP sent them, 1 superseded by newer changes.",
                notice(form("/console/connections/acme%20sso/held-changes/approve", Map.of())));
        assertEquals("Rejected 3 held changes: nothing was applied. The IdP still believes them - put its assignments "
                + "right.", notice(form("/console/connections/acme%20sso/held-changes/reject", Map.of())));
    }

    @Test
    void membersArePagedWithTheirSeatsAndAMemberHasAHistory() {
        String page = page("/console/organizations/acme/members?state=active", 200);
        assertContains(page, "<span class=\"warn\">10 of 10 seats used (2 deactivated, holding none)</span>",
                "value=\"10\" aria-describedby=\"seat-limit-help\"", "<option selected>active</option>",
                "<p role=\"status\">120 member(s), page 1 of 3</p>",
                "<a href=\"/console/organizations/acme/members/ada%40example.com\">ada@example.com</a>",
                "<td>Ada Lovelace</td>", "<span class=\"warn\">deactivated</span>", "<td>developers, platform</td>",
                "<td>2026-10-01 12:00:00 UTC</td>",
                "<a href=\"/console/organizations/acme/members?state=active&amp;page=2\" rel=\"next\">Next page</a>");

        String member = page("/console/organizations/acme/members/ada%40example.com", 200);
        assertContains(member, "<dt>Name</dt><dd>Ada Lovelace</dd>",
                "Deactivated by the identity provider (SCIM) at 2026-11-30 09:00:00 UTC",
                "<a href=\"/console/organizations/acme/teams/developers\">developers</a>, ",
                "<tr><td>2026-11-30 09:00:01 UTC</td><td>command: user.replace</td><td>applied</td><td>req-9</td></tr>");
        page("/console/organizations/acme/members/nobody%40example.com", 404);
    }

    @Test
    void anAdminAddsAMemberByHandAndRemovesOneFromTheirPage() {
        assertContains(page("/console/organizations/acme/members?state=active", 200),
                "<button type=\"submit\">Add member</button>");
        assertEquals("new@example.com is a member of acme as editor, added by hand.",
                notice(form("/console/organizations/acme/members", Map.of("email", "new@example.com", "role",
                        "editor")), "/console/organizations/acme/members"));
        assertContains(page("/console/organizations/acme/members/ada%40example.com", 200),
                "action=\"/console/organizations/acme/members/ada%40example.com/remove\"",
                "data-confirm=\"Remove ada@example.com from acme?",
                "The identity provider's later updates, groups and sign-ins do not put them back");
        assertEquals("ada@example.com is removed from acme.", notice(form(
                "/console/organizations/acme/members/ada%40example.com/remove", Map.of()),
                "/console/organizations/acme/members"));
    }

    @Test
    void anOrganizationsAdminTokensAreListedWithTheirExpiryIssuedOnceAndRevoked() {
        String page = page("/console/organizations/acme/admin-tokens", 200);
        assertContains(page, "<td><code>aaaaaaaaaaaa</code></td>", "<td>acme IT</td>", "<td>2027-03-01 09:00:00 UTC</td>",
                "never (issued before tokens expired: replace it)", "<span class=\"warn\">revoked</span>",
                "action=\"/console/organizations/acme/admin-tokens/aaaaaaaaaaaa/revoke\"",
                "<button type=\"submit\">Issue an admin token</button>");
        assertTrue(!page.contains("/admin-tokens/cccccccccccc/revoke"), "a revoked token has no revoke button");
        Response issued = form("/console/organizations/acme/admin-tokens", Map.of("label", "acme IT",
                "validForDays", "30"));
        assertEquals(201, issued.statusCode());
        assertContains(issued.asString(), "value=\"orgadm_dddddddddddd_secret\"", "New admin token: copy it now",
                "Only its SHA-256 is stored; if it is lost, issue another and revoke this one. It works until "
                        + "2026-12-30 12:00:00 UTC.");
        assertEquals("valid for must be a whole number of days, or empty for the default", error(form(
                "/console/organizations/acme/admin-tokens", Map.of("validForDays", "a month"))));
        assertEquals("Admin token aaaaaaaaaaaa revoked: its holder is refused from now on.", notice(form(
                "/console/organizations/acme/admin-tokens/aaaaaaaaaaaa/revoke", Map.of())));
    }

    @Test
    void invitationsAreListedWithTheirExpirySentAndRevoked() {
        assertContains(page("/console/organizations/acme/members?state=active", 200),
                "<a href=\"/console/organizations/acme/invitations\">Invitations</a>");
        String page = page("/console/organizations/acme/invitations", 200);
        assertContains(page, "<td>kim@example.com</td>", "<td>2026-12-14 12:00:00 UTC</td>",
                "<td><span class=\"warn\">expired</span></td>",
                "action=\"/console/organizations/acme/invitations/old%40example.com/revoke\"",
                "<button type=\"submit\">Invite</button>");
        assertEquals("new@example.com is invited to acme as editor until 2026-12-14 12:00:00 UTC.",
                notice(form("/console/organizations/acme/invitations", Map.of("email", " new@example.com ",
                        "role", "editor")), "/console/organizations/acme/invitations"));
        assertEquals("The invitation of old@example.com is revoked: it is no longer accepted.",
                notice(form("/console/organizations/acme/invitations/old%40example.com/revoke", Map.of())));
    }

    @Test
    void teamsListTheirGroupsAndATeamWhyEachMemberIsThere() {
        assertContains(page("/console/organizations/acme/teams", 200),
                "<a href=\"/console/organizations/acme/teams/developers\">developers</a></td><td>3</td>",
                "<td>acme:developers, Engineering (All)</td>", "<td>-</td>");
        assertContains(page("/console/organizations/acme/teams/developers", 200),
                "<tr><td>ada@example.com</td><td>member</td><td>group acme:developers, sign-in</td></tr>",
                "<tr><td>u-2</td><td>editor</td><td>manual</td></tr>");
    }

    @Test
    void theAuditLogFiltersVerifiesAndPages() {
        String page = page("/console/audit?connection=acme%20sso&verify=true", 200);
        assertContains(page, "<option selected>acme sso</option>",
                "The chain of acme sso is intact: 42 records verified.",
                "href=\"/console/audit/export?connection=c-1&amp;format=csv\"",
                "<td>2026-11-30 09:00:01 UTC</td><td>command</td><td>user.replace</td><td>applied</td>"
                        + "<td>ada@example.com</td><td>aaaaaaaaaaaa</td><td>req-9</td>",
                "<td>admin.scim-token.revoke<br><small>DELETE connections/acme%20sso/scim-tokens/aaaaaaaaaaaa</small>"
                        + "</td><td></td><td></td><td>operator (console, 10.0.0.1)</td><td></td>",
                "<a href=\"/console/audit?cursor=c42&amp;connection=acme%20sso\" rel=\"next\">Older records</a>");
    }

    @Test
    void deadLettersAreListedAndReplayed() {
        String page = page("/console/dead-letters", 200);
        assertContains(page, "<td>2026-11-30 07:00:00 UTC</td>", "<td>scim.user.commands.dlq/0/12</td>",
                "<td>scim.user.commands @ 1/340</td>", "<td>not a readable user command (Unexpected character)</td>",
                "<summary>11 bytes</summary><pre>not json {{</pre>",
                "<small>replayed 2026-11-30 08:00:00 UTC to scim.user.commands</small>",
                "<input type=\"hidden\" name=\"again\" value=\"true\">", "<td>audit.dlq/0/3</td>");
        assertEquals("Replayed scim.user.commands.dlq/0/12 to scim.user.commands.",
                notice(form("/console/dead-letters/scim.user.commands.dlq/0/12/replay", Map.of()), "/console/dead-letters"));
    }

    @Test
    void whatTheAdminApiCannotGiveIsAProblemPage() {
        assertContains(page("/console/connections/gone/groups", 404), "no connection gone", "The admin API answered 404.");
        assertContains(page("/console/organizations/acme/teams/odd", 502),
                "the admin API&#39;s answer is not readable as Members", "The admin API answered 502.");
    }

    private static String page(String path, int status) {
        // The paths are written encoded, as a browser sends them.
        return given().urlEncodingEnabled(false).redirects().follow(false).cookie("scimsync_console", session)
                .get(path).then()
                .statusCode(status).extract().asString();
    }

    private static Response form(String path, Map<String, String> fields) {
        Map<String, String> all = new HashMap<>(fields);
        all.put("csrf", csrf);
        // RestAssured encodes the path (and the form): give it the path decoded.
        return given().redirects().follow(false).cookie("scimsync_console", session).contentType(ContentType.URLENC)
                .formParams(all).post(URLDecoder.decode(path, StandardCharsets.UTF_8));
    }

    private static String notice(Response redirected) {
        assertEquals(303, redirected.statusCode(), redirected.asString());
        String location = URLDecoder.decode(redirected.header("Location"), StandardCharsets.UTF_8);
        return location.substring(location.indexOf("?notice=") + "?notice=".length());
    }

    /** The error a refused form's redirect carries back to its page. */
    private static String error(Response redirected) {
        assertEquals(303, redirected.statusCode(), redirected.asString());
        String location = URLDecoder.decode(redirected.header("Location"), StandardCharsets.UTF_8);
        return location.substring(location.indexOf("?error=") + "?error=".length());
    }

    private static String notice(Response redirected, String page) {
        assertTrue(redirected.header("Location").contains(page + "?notice="), redirected.header("Location"));
        return notice(redirected);
    }

    private static void assertContains(String page, String... parts) {
        for (String part : parts) {
            assertTrue(page.contains(part), () -> "missing: " + part + "\n" + page);
        }
    }

    /** The admin API as its three owners answer it, with the fields the console does not show. */
    public static class FakeAdminApi extends GatewayTestInfrastructure {

        private static final String CONNECTION = """
                {"id":"c-1","name":"acme sso","organizations":["acme","acme-labs"],"defaultOrganization":"acme",
                 "defaultTeam":"everyone","defaultRole":"editor","jitEnabled":false,"scimEnabled":true,
                 "jitAdoption":false,"createdAt":"2026-10-01T00:00:00Z"}""";

        private static final String ACME = """
                {"id":"o-1","name":"acme","seats":10,"members":12,"seatsUsed":10,"teams":["developers"]}""";

        /** By method, path and query (its parameters in any order: the console builds some from hash maps). */
        private static final Map<String, String> ANSWERS = Map.ofEntries(
                Map.entry("GET connections", "[" + CONNECTION + """
                        ,{"id":"c-2","name":"beta","organizations":["open"],"defaultOrganization":"open",
                          "defaultTeam":null,"defaultRole":"member","jitEnabled":true,"scimEnabled":false,
                          "jitAdoption":true}]"""),
                Map.entry("GET organizations", "[" + ACME + """
                        ,{"id":"o-2","name":"open","seats":null,"members":4,"seatsUsed":4,"teams":[]},
                         {"id":"o-3","name":"acme-labs","seats":null,"members":0,"seatsUsed":0,"teams":[]}]"""),
                Map.entry("GET connections/acme%20sso", CONNECTION),
                Map.entry("GET connections/acme%20sso/scim-tokens", """
                        [{"id":"aaaaaaaaaaaa","createdAt":"2026-11-01T09:30:00Z","lastUsedAt":null},
                         {"id":"bbbbbbbbbbbb","createdAt":"2026-11-02T10:00:00.123456Z","lastUsedAt":"2026-11-29T23:59:59Z"}]"""),
                Map.entry("POST connections/acme%20sso/scim-tokens", """
                        {"id":"eeeeeeeeeeee","token":"scim_eeeeeeeeeeee_secret","createdAt":"2026-11-30T12:00:00Z"}"""),
                Map.entry("DELETE connections/acme%20sso/scim-tokens/aaaaaaaaaaaa", ""),
                Map.entry("DELETE connections/acme%20sso/organizations/acme-labs", ""),
                Map.entry("GET connections/acme%20sso/groups", """
                        [{"groupId":"g-1","displayName":"acme:developers","members":7,"mappedBy":"name",
                          "organization":"acme","team":"developers","role":"member","unmappedReason":null},
                         {"groupId":"g-2","displayName":"Engineering (All)","members":30,"mappedBy":"unmapped",
                          "organization":null,"team":null,"role":null,"unmappedReason":"no team named Engineering (All)"},
                         {"groupId":"g-3","displayName":"Ops","members":2,"mappedBy":"explicit",
                          "organization":"acme-labs","team":"ops","role":"owner","unmappedReason":null}]"""),
                Map.entry("PUT connections/acme%20sso/group-mappings/g-2", """
                        {"groupId":"g-2","displayName":"Engineering (All)","organization":"acme","team":"platform",
                         "role":"member"}"""),
                Map.entry("GET connections/acme%20sso/provisioning-errors", """
                        [{"occurredAt":"2026-11-30T08:00:00Z","operation":"group.create","userName":"Engineering (All)",
                          "requestId":"req-1","reason":"UNMAPPED_GROUP","detail":"no team for the group",
                          "suggestedFix":"name the group organization:team","count":4,
                          "firstSeen":"2026-11-29T08:00:00Z"}]"""),
                Map.entry("GET connections/acme%20sso/troubleshooting", """
                        {"unknownAttributes":[{"resourceType":"User","name":"urn:custom:costCenter","kind":"extension",
                           "count":3,"firstSeen":"2026-11-29T00:00:00Z","lastSeen":"2026-11-30T00:00:00Z",
                           "suggestedFix":"remove the mapping"}],
                         "failedAuthentications":[{"tokenId":"aaaaaaaaaaaa","tokenState":"revoked",
                           "revokedAt":"2026-11-28T00:00:00Z","count":2,"firstSeen":"2026-11-29T00:00:00Z",
                           "lastSeen":"2026-11-30T00:00:00Z","suggestedFix":"issue a new token"}],
                         "refusedWhileScimOff":[{"method":"PATCH","resourceType":"User","id":"u-1",
                           "userName":"pat@example.com","userActive":true,"count":2,"firstSeen":"2026-11-29T00:00:00Z",
                           "lastSeen":"2026-11-30T00:00:00Z","suggestedFix":"send it again"},
                          {"method":"DELETE","resourceType":"Group","id":"g-1","count":1,
                           "firstSeen":"2026-11-29T00:00:00Z","lastSeen":"2026-11-29T00:00:00Z",
                           "suggestedFix":"push the group"}]}"""),
                Map.entry("GET failed-authentications", """
                        [{"reason":"missing","count":5,"firstSeen":"2026-11-29T00:00:00Z","lastSeen":"2026-11-30T00:00:00Z",
                          "suggestedFix":"send the token"}]"""),
                Map.entry("POST connections/acme%20sso/migrations/jit-to-scim", """
                        {"dryRun":true,"adoptionEnabled":false,"adoptable":["ada@example.com","bob@example.com"],
                         "notAdoptable":[{"email":"eve@example.com","reason":"added by hand"}]}"""),
                Map.entry("POST connections/acme%20sso/migrations/from-connection", """
                        {"dryRun":true,"from":"acme-okta","adoptionEnabled":false,"adoptable":["pat@example.com"],
                         "notAdoptable":[{"email":"lee@example.com","reason":"deactivated by the IdP of connection acme-okta"}]}"""),
                Map.entry("DELETE connections/acme%20sso/migrations/from-connection", ""),
                Map.entry("GET audit/activity?connection=c-1&bucket=hour", """
                        {"connection":"c-1","bucket":"hour","from":"2026-11-30T09:00:00Z","to":"2026-11-30T12:00:00Z",
                         "points":[{"start":"2026-11-30T09:00:00Z","created":0,"updated":0,"deactivated":0,
                           "reactivated":0,"removed":0,"errors":0},
                          {"start":"2026-11-30T10:00:00Z","created":5,"updated":1,"deactivated":0,
                           "reactivated":0,"removed":0,"errors":2}]}"""),
                Map.entry("GET audit/activity?connection=c-1&bucket=day", """
                        {"points":[{"start":"2026-11-30T00:00:00Z","created":5,"updated":1,"deactivated":0,
                           "reactivated":0,"removed":0,"errors":2}]}"""),
                Map.entry("GET connections/acme%20sso/guard", """
                        {"connection":"acme sso","settings":{"enabled":true,"percent":20,"maxMembers":50,
                         "minMembers":5,"windowMinutes":60},"activeMembers":40,"deprovisionedInWindow":9,"held":2}"""),
                Map.entry("GET connections/acme%20sso/held-changes", """
                        {"connection":"acme sso","held":2,"changes":[
                          {"id":"h-1","seq":1,"memberId":"m-1","userName":"ada@example.com","change":"deactivate",
                           "heldAt":"2026-11-30T10:15:00Z","state":"held","decidedAt":null},
                          {"id":"h-2","seq":2,"memberId":"m-2","userName":"bob@example.com","change":"remove",
                           "heldAt":"2026-11-30T10:16:00Z","state":"rejected","decidedAt":"2026-11-30T11:00:00Z"}]}"""),
                Map.entry("POST connections/acme%20sso/held-changes/approve", """
                        {"approved":2,"superseded":1,"rejected":0}"""),
                Map.entry("POST connections/acme%20sso/held-changes/reject", """
                        {"approved":0,"superseded":0,"rejected":3}"""),
                Map.entry("GET organizations/acme", ACME),
                Map.entry("GET organizations/acme/members?state=active&startIndex=1&count=50", """
                        {"totalResults":120,"startIndex":1,"itemsPerPage":50,"members":[
                          {"email":"ada@example.com","name":"Ada Lovelace","role":"member","state":"deactivated",
                           "deactivatedAt":"2026-11-30T09:00:00Z","source":"scim","teams":["developers","platform"],
                           "created":"2026-10-01T12:00:00Z"},
                          {"email":"bob@example.com","name":null,"role":"owner","state":"active",
                           "deactivatedAt":null,"source":"manual","teams":[],"created":"2026-10-02T12:00:00Z"}]}"""),
                Map.entry("GET organizations/acme/members?email=ada%40example.com&count=1", """
                        {"totalResults":1,"startIndex":1,"itemsPerPage":20,"members":[
                          {"email":"ada@example.com","name":"Ada Lovelace","role":"member","state":"deactivated",
                           "deactivatedAt":"2026-11-30T09:00:00Z","source":"scim","teams":["developers","platform"],
                           "created":"2026-10-01T12:00:00Z"}]}"""),
                Map.entry("GET organizations/acme/members?email=nobody%40example.com&count=1", """
                        {"totalResults":0,"startIndex":1,"itemsPerPage":20,"members":[]}"""),
                Map.entry("GET audit/records?user=ada%40example.com&limit=50", """
                        {"records":[{"id":"r-9","connectionId":"c-1","seq":9,"kind":"command","action":"user.replace",
                          "outcome":"applied","user":"ada@example.com","tokenId":"aaaaaaaaaaaa","requestId":"req-9",
                          "recordedAt":"2026-11-30T09:00:01Z","payload":{"active":false}}],"nextCursor":null}"""),
                Map.entry("GET audit/records?user=nobody%40example.com&limit=50", """
                        {"records":[],"nextCursor":null}"""),
                Map.entry("GET organizations/acme/admin-tokens", """
                        [{"id":"aaaaaaaaaaaa","label":"acme IT","createdAt":"2026-12-01T09:00:00Z","lastUsedAt":null,
                          "revokedAt":null,"expiresAt":"2027-03-01T09:00:00Z"},
                         {"id":"bbbbbbbbbbbb","label":null,"createdAt":"2026-10-01T09:00:00Z","lastUsedAt":null,
                          "revokedAt":null,"expiresAt":null},
                         {"id":"cccccccccccc","label":"old","createdAt":"2026-09-01T09:00:00Z","lastUsedAt":null,
                          "revokedAt":"2026-09-02T09:00:00Z","expiresAt":"2026-11-30T09:00:00Z"}]"""),
                Map.entry("POST organizations/acme/admin-tokens", """
                        {"id":"dddddddddddd","token":"orgadm_dddddddddddd_secret","label":"acme IT",
                         "createdAt":"2026-11-30T12:00:00Z","expiresAt":"2026-12-30T12:00:00Z"}"""),
                Map.entry("DELETE organizations/acme/admin-tokens/aaaaaaaaaaaa", ""),
                Map.entry("POST organizations/acme/members", """
                        {"email":"new@example.com","name":null,"role":"editor","state":"active","deactivatedAt":null,
                         "source":"manual","teams":[],"created":"2026-11-30T12:00:00Z"}"""),
                Map.entry("DELETE organizations/acme/members/ada%40example.com", ""),
                Map.entry("GET organizations/acme/invitations", """
                        [{"email":"kim@example.com","role":"member","createdAt":"2026-11-30T12:00:00Z",
                          "expiresAt":"2026-12-14T12:00:00Z","state":"pending"},
                         {"email":"old@example.com","role":"owner","createdAt":"2026-10-01T12:00:00Z",
                          "expiresAt":"2026-10-15T12:00:00Z","state":"expired"}]"""),
                Map.entry("POST organizations/acme/invitations", """
                        {"email":"new@example.com","role":"editor","createdAt":"2026-11-30T12:00:00Z",
                         "expiresAt":"2026-12-14T12:00:00Z","state":"pending"}"""),
                Map.entry("DELETE organizations/acme/invitations/old%40example.com", ""),
                Map.entry("GET organizations/acme/teams", """
                        [{"name":"developers","members":3,"groups":["acme:developers","Engineering (All)"]},
                         {"name":"everyone","members":12,"groups":[]}]"""),
                Map.entry("GET organizations/acme/teams/developers/members", """
                        {"organization":"acme","team":"developers","members":[
                          {"id":"u-1","userName":"ada@example.com","role":"member","sources":["group acme:developers","sign-in"]},
                          {"id":"u-2","userName":null,"role":"editor","sources":["manual"]}]}"""),
                Map.entry("GET audit/records?connection=c-1&limit=50", """
                        {"records":[{"id":"r-9","connectionId":"c-1","seq":9,"kind":"command","action":"user.replace",
                          "outcome":"applied","user":"ada@example.com","tokenId":"aaaaaaaaaaaa","requestId":"req-9",
                          "recordedAt":"2026-11-30T09:00:01Z","payload":{"active":false},"hash":"ab"},
                          {"id":"r-8","connectionId":"c-1","seq":8,"kind":"admin","action":"admin.scim-token.revoke",
                          "outcome":null,"user":null,"tokenId":"operator","requestId":null,"clientAddress":"10.0.0.1",
                          "recordedAt":"2026-11-30T08:59:00Z","payload":{"method":"DELETE",
                          "path":"connections/acme%20sso/scim-tokens/aaaaaaaaaaaa","via":"console","status":204}}],
                         "nextCursor":"c42"}"""),
                Map.entry("GET audit/verify?connection=c-1", """
                        {"connection":"c-1","startedAfterSeq":0,"records":42,"keyedRecords":42,"unkeyedRecords":0,
                         "intact":true,"firstBrokenSeq":null,"firstBrokenId":null,"problem":null}"""),
                Map.entry("GET dead-letters", """
                        {"deadLetters":[{"id":"scim.user.commands.dlq/0/12","topic":"scim.user.commands.dlq",
                          "partition":0,"offset":12,"parkedAt":"2026-11-30T07:00:00Z",
                          "originalTopic":"scim.user.commands","originalPartition":1,"originalOffset":340,
                          "key":"k-1","reason":"not a readable user command","cause":"Unexpected character","size":11,
                          "preview":"not json {{","replayedAt":"2026-11-30T08:00:00Z","replayedTo":"scim.user.commands"},
                         {"id":"audit.dlq/0/3","topic":"audit.dlq","partition":0,"offset":3,
                          "parkedAt":"2026-11-30T07:30:00Z","originalTopic":null,"originalPartition":null,
                          "originalOffset":null,"key":null,"reason":null,"cause":null,"size":0,"preview":"",
                          "replayedAt":null,"replayedTo":null}]}"""),
                Map.entry("POST dead-letters/scim.user.commands.dlq/0/12/replay", """
                        {"id":"scim.user.commands.dlq/0/12","replayedTo":"scim.user.commands",
                         "replayedAt":"2026-11-30T12:00:00Z"}"""),
                Map.entry("GET organizations/acme/teams/odd/members", """
                        {"organization":"acme","team":"odd","members":"not a list"}"""),
                Map.entry("GET connections/gone", """
                        {"status":404,"detail":"no connection gone"}"""));

        private HttpServer http;

        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(super.start());
            try {
                http = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            http.createContext("/internal/v1/admin/", this::answer);
            http.start();
            String url = "http://localhost:" + http.getAddress().getPort();
            config.put("quarkus.rest-client.membership.url", url);
            config.put("admin.group-sync-url", url);
            config.put("admin.audit-url", url);
            return config;
        }

        @Override
        public void stop() {
            if (http != null) {
                http.stop(0);
            }
            super.stop();
        }

        private static String normalized(String request) {
            int question = request.indexOf('?');
            return question < 0 ? request : request.substring(0, question) + "?"
                    + Arrays.stream(request.substring(question + 1).split("&")).sorted().toList();
        }

        private void answer(HttpExchange exchange) throws IOException {
            try (exchange) {
                String uri = exchange.getRequestURI().getRawPath().substring("/internal/v1/admin/".length())
                        + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
                String answer = ANSWERS.entrySet().stream()
                        .filter(entry -> normalized(entry.getKey()).equals(normalized(exchange.getRequestMethod() + " " + uri)))
                        .map(Map.Entry::getValue).findFirst().orElse(null);
                int status = answer == null || answer.contains("\"status\":404") ? 404 : 200;
                if (answer == null) {
                    answer = "{\"status\":404,\"detail\":\"the fake admin API has no " + exchange.getRequestMethod()
                            + " " + uri + "\"}";
                } else if (answer.isEmpty()) {
                    exchange.sendResponseHeaders(204, -1);
                    return;
                }
                byte[] body = answer.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
            }
        }
    }
}
