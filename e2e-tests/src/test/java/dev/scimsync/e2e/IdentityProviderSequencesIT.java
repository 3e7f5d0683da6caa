package dev.scimsync.e2e;

import static dev.scimsync.e2e.GuideTenant.ROLE_MAPPING;
import static dev.scimsync.e2e.GuideTenant.member;
import static dev.scimsync.e2e.ScimClient.CORE_USER;
import static dev.scimsync.e2e.ScimClient.ENTERPRISE;
import static dev.scimsync.e2e.ScimClient.PATCH_OP;
import static dev.scimsync.e2e.ScimClient.SCIM;
import static dev.scimsync.e2e.ScimClient.scim;
import static dev.scimsync.e2e.ScimClient.uniquePrefix;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The request sequences each IdP guide (docs/idp/*.md) describes, replayed end to end: Okta and Microsoft Entra ID
 * on the bootstrap connection, OneLogin, JumpCloud and Google Workspace (JIT sign-in, then SCIM) each on an
 * organization and connection of its own, asserting what the guide promises at each step.
 */
class IdentityProviderSequencesIT {

    @Test
    void oktaProvisioningLifecycle() {
        String userName = uniquePrefix("okta") + "isaac@example.com";
        // Okta looks the user up before every create.
        scim().queryParam("filter", "userName eq \"" + userName + "\"").queryParam("startIndex", 1)
                .queryParam("count", 100).get("/Users")
                .then().statusCode(200).contentType(SCIM).body("totalResults", equalTo(0)).body("Resources", hasSize(0));

        Response created = scim().body("""
                {"schemas":["%s"],"userName":"%s","name":{"givenName":"Isaac","familyName":"Brock"},
                 "emails":[{"primary":true,"value":"%s","type":"work"}],"displayName":"Isaac Brock",
                 "locale":"en-US","externalId":"00ujl29u0le5T6Aj10h7","groups":[],"password":"1mz050nq","active":true}"""
                .formatted(CORE_USER, userName, userName)).post("/Users");
        created.then().statusCode(201).body("password", nullValue()).body("groups", nullValue());
        String id = created.path("id");

        scim().queryParam("filter", "userName eq \"" + userName.toUpperCase() + "\"").get("/Users")
                .then().statusCode(200).body("totalResults", equalTo(1)).body("Resources[0].id", equalTo(id));

        // Profile push: a full PUT; what it omits (locale) is cleared, read-only attributes are kept.
        scim().body("""
                {"schemas":["%s"],"id":"%s","userName":"%s","name":{"givenName":"Isaac","familyName":"Brock-Smith"},
                 "emails":[{"primary":true,"value":"%s","type":"work"}],"displayName":"Isaac Brock-Smith",
                 "externalId":"00ujl29u0le5T6Aj10h7","active":true,"meta":{"resourceType":"User"}}"""
                .formatted(CORE_USER, id, userName, userName)).put("/Users/{id}", id)
                .then().statusCode(200).body("name.familyName", equalTo("Brock-Smith")).body("locale", nullValue())
                .body("meta.version", equalTo("W/\"2\"")).body("id", equalTo(id));

        // Deactivation, both ways Okta does it, and reactivation with the same id.
        scim().body("""
                {"schemas":["%s"],"Operations":[{"op":"replace","value":{"active":false}}]}""".formatted(PATCH_OP))
                .patch("/Users/{id}", id).then().statusCode(200).body("active", equalTo(false));
        scim().body("""
                {"schemas":["%s"],"userName":"%s","active":true,"name":{"givenName":"Isaac","familyName":"Brock-Smith"}}"""
                .formatted(CORE_USER, userName)).put("/Users/{id}", id)
                .then().statusCode(200).body("active", equalTo(true)).body("id", equalTo(id));
        scim().body("{\"schemas\":[\"%s\"],\"userName\":\"%s\",\"active\":false}".formatted(CORE_USER, userName))
                .put("/Users/{id}", id).then().statusCode(200).body("active", equalTo(false));

        // A duplicate create is 409 with a SCIM body; 401 and 404 carry SCIM bodies too.
        scim().body("{\"schemas\":[\"%s\"],\"userName\":\"%s\"}".formatted(CORE_USER, userName)).post("/Users")
                .then().statusCode(409).contentType(SCIM).body("scimType", equalTo("uniqueness"));
        scim().get("/Users/{id}", "00000000-0000-0000-0000-000000000000")
                .then().statusCode(404).contentType(SCIM).body("status", equalTo("404"));
        io.restassured.RestAssured.given().baseUri(SharedStack.endpoints().scimBaseUrl()).get("/Users")
                .then().statusCode(401).contentType(SCIM).body("status", equalTo("401"));
    }

    @Test
    void entraIdProvisioningLifecycle() {
        String prefix = uniquePrefix("entra");
        String userName = prefix + "Test_User_ab6490ee@testuser.com";
        // "Test connection" probes with random identifiers.
        scim().queryParam("filter", "userName eq \"" + prefix + "e8d5f6f2-4d1e@example.com\"").get("/Users")
                .then().statusCode(200).body("totalResults", equalTo(0));
        scim().get("/Users/{id}", "e8d5f6f2-4d1e-4b77-9f71-0dd5c0a87d0f").then().statusCode(404);
        scim().queryParam("filter", "externalId eq " + prefix + "jyoung").get("/Users")
                .then().statusCode(200).body("totalResults", equalTo(0));

        Response created = scim().body("""
                {"schemas":["%s","%s"],"externalId":"%s0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef","userName":"%s",
                 "active":true,"emails":[{"primary":true,"type":"work","value":"%s"}],
                 "meta":{"resourceType":"User"},"name":{"formatted":"givenName familyName","familyName":"familyName",
                 "givenName":"givenName"},"roles":[],
                 "%s":{"employeeNumber":"701984","department":"Tour Operations","manager":"12345"}}"""
                .formatted(CORE_USER, ENTERPRISE, prefix, userName, userName, ENTERPRISE)).post("/Users");
        created.then().statusCode(201);
        String id = created.path("id");
        scim().get("/Users/{id}", id).then().statusCode(200)
                .body("'" + ENTERPRISE + "'.manager.value", equalTo("12345"))
                .body("'" + ENTERPRISE + "'.department", equalTo("Tour Operations"));

        scim().body("""
                {"schemas":["%s"],"Operations":[
                  {"op":"Replace","path":"displayName","value":"Ryan Leenay"},
                  {"op":"Add","path":"phoneNumbers[type eq \\"mobile\\"].value","value":"+1 425 555 0100"},
                  {"op":"Replace","value":{"name.givenName":"Ryan","%s:department":"Finance"}},
                  {"op":"Replace","path":"active","value":"False"}]}""".formatted(PATCH_OP, ENTERPRISE))
                .patch("/Users/{id}", id)
                .then().statusCode(200)
                .body("displayName", equalTo("Ryan Leenay"))
                .body("phoneNumbers[0].type", equalTo("mobile"))
                .body("phoneNumbers[0].value", equalTo("+1 425 555 0100"))
                .body("name.givenName", equalTo("Ryan"))
                .body("name.familyName", equalTo("familyName"))
                .body("'" + ENTERPRISE + "'.department", equalTo("Finance"))
                .body("active", equalTo(false));

        // Clearing with an empty value, and the filter Entra uses afterwards.
        scim().body("""
                {"schemas":["%s"],"Operations":[{"op":"Replace","path":"displayName","value":""}]}""".formatted(PATCH_OP))
                .patch("/Users/{id}", id).then().statusCode(200).body("displayName", nullValue());
        scim().queryParam("filter", "externalId eq \"" + prefix + "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef\"")
                .get("/Users").then().statusCode(200).body("totalResults", equalTo(1));

        scim().delete("/Users/{id}", id).then().statusCode(204);
        scim().get("/Users/{id}", id).then().statusCode(404);
    }

    /**
     * docs/idp/onelogin.md: the requests OneLogin's SCIM JSON Template produces, in the order OneLogin sends them
     * - the "Enable" check, lookup before create, create with the role-mapping parameters (one placeholder
     * empty), PUT updates, suspend and re-activation, the groups it reads and patches, delete.
     */
    @Test
    void oneLoginProvisioningLifecycle() {
        GuideTenant tenant = GuideTenant.create("onelogin", true);
        String org = tenant.organization();
        String labs = tenant.labs();
        String userName = tenant.email("ada");

        // Set-up 2, "Enable": the lookup of a user that does not exist is 200 with an empty ListResponse; a wrong
        // token is 401 with WWW-Authenticate: Bearer.
        lookup(tenant, tenant.email("onelogin-check")).body("totalResults", equalTo(0)).body("Resources", hasSize(0));
        GuideTenant.idp("scim_aaaaaaaaaaaa_wrong-secret-0123456789abcd").get("/Users")
                .then().statusCode(401).contentType(SCIM).header("WWW-Authenticate", startsWith("Bearer"));

        // "Lookup before create", then the template's create. {$parameters.dockerOrg} and department came out
        // empty: "" is "not set", so the default organization, and no department.
        lookup(tenant, userName).body("totalResults", equalTo(0));
        String id = tenant.idp().body(oneLoginUser(userName, "Lovelace", "", "editor", "", "backend")).post("/Users")
                .then().statusCode(201).body("userName", equalTo(userName)).body("displayName", equalTo("Ada Lovelace"))
                .body("'" + ENTERPRISE + "'.department", nullValue())
                .body("'" + ROLE_MAPPING + "'.dockerRole", equalTo("editor"))
                .body("'" + ROLE_MAPPING + "'.dockerOrg", nullValue())
                .extract().path("id");
        GuideTenant.members(org).body(member(userName) + ".role", equalTo("editor"))
                .body(member(userName) + ".source", equalTo("scim"))
                .body(member(userName) + ".teams", contains("backend"));
        lookup(tenant, userName).body("totalResults", equalTo(1)).body("Resources[0].id", equalTo(id));
        tenant.idp().body(oneLoginUser(userName, "Lovelace", "", "editor", "", "backend")).post("/Users")
                .then().statusCode(409).contentType(SCIM).body("scimType", equalTo("uniqueness"));

        // "Updates": a PUT of the whole template. A changed dockerOrg / dockerTeam moves the member out of the old
        // organization and into the new one; an empty dockerRole is the default role.
        tenant.idp().body(oneLoginUser(userName, "King", "Research", "", labs, "desktop")).put("/Users/{id}", id)
                .then().statusCode(200).body("id", equalTo(id)).body("name.familyName", equalTo("King"))
                .body("'" + ENTERPRISE + "'.department", equalTo("Research"));
        GuideTenant.members(org).body("members.email", not(hasItem(userName)));
        GuideTenant.members(labs).body(member(userName) + ".role", equalTo("member"))
                .body(member(userName) + ".teams", contains("desktop"));

        // "Suspend arrives as active: false" (by PUT here): still listed, seat freed, sign-ins refused saying since
        // when. Re-activation (by PATCH here) takes the seat again, same id.
        tenant.idp().body(oneLoginUser(userName, "King", "Research", "", labs, "desktop")
                        .replaceFirst("\\{", "{\"active\":false,")).put("/Users/{id}", id)
                .then().statusCode(200).body("active", equalTo(false));
        GuideTenant.members(labs).body(member(userName) + ".state", equalTo("deactivated"));
        GuideTenant.admin().get("/organizations/{o}", labs).then().statusCode(200).body("seatsUsed", equalTo(0));
        tenant.signIn(Map.of("email", userName)).then().statusCode(403)
                .body("detail", containsString("was deactivated by the identity provider (SCIM) on"));
        tenant.idp().body("{\"schemas\":[\"" + PATCH_OP + "\"],\"Operations\":[{\"op\":\"replace\",\"path\":\"active\","
                + "\"value\":true}]}").patch("/Users/{id}", id).then().statusCode(200).body("active", equalTo(true))
                .body("id", equalTo(id));
        GuideTenant.members(labs).body(member(userName) + ".state", equalTo("active"));
        GuideTenant.admin().get("/organizations/{o}", labs).then().statusCode(200).body("seatsUsed", equalTo(1));

        // Groups: a new connection has none to offer (Get Groups); the admin creates the one OneLogin should fill
        // with the connection's token, OneLogin reads it, and its rules add the user by Patch Group (204).
        tenant.idp().get("/Groups").then().statusCode(200).body("totalResults", equalTo(0));
        String backend = tenant.idp().body(group(org + ":backend")).post("/Groups").then().statusCode(201)
                .extract().path("id");
        tenant.idp().get("/Groups").then().statusCode(200).body("Resources.displayName", contains(org + ":backend"));
        tenant.patchGroup(backend, GuideTenant.membersOperation("add", id)).statusCode(204);
        tenant.team(org, "backend").body("members.find { it.id == '" + id + "' }.sources", contains("group:" + org
                + ":backend"));
        // docs/groups.md: the mapped group also makes the user a member of its organization (seat, mapping's role).
        tenant.awaitMember(org, userName, "active", "member");

        // Create Group for a name OneLogin keeps: stored, unmapped until the admin maps it; its role then wins.
        String admins = tenant.idp().body(group("Platform Admins")).post("/Groups").then().statusCode(201)
                .extract().path("id");
        GuideTenant.admin().body(Map.of("organization", org, "team", "platform", "role", "owner"))
                .put("/connections/{c}/group-mappings/{g}", tenant.connection(), admins).then().statusCode(200);
        tenant.patchGroup(admins, GuideTenant.membersOperation("add", id)).statusCode(204);
        tenant.awaitMember(org, userName, "active", "owner");
        String stranger = UUID.randomUUID().toString();
        tenant.patchGroup(admins, GuideTenant.membersOperation("add", stranger))
                .statusCode(400).contentType(SCIM).body("scimType", equalTo("invalidValue"))
                .body("detail", containsString(stranger));

        // Leaving the groups: the mapping's role goes with the group; leaving the last group of the organization
        // ends the membership there (dockerOrg places the user in labs, which stays).
        tenant.patchGroup(admins, "{\"op\":\"remove\",\"path\":\"members[value eq \\\"" + id + "\\\"]\"}")
                .statusCode(204);
        tenant.awaitMember(org, userName, "active", "member");
        tenant.patchGroup(backend, GuideTenant.membersOperation("remove", id)).statusCode(204);
        tenant.awaitNotMember(org, userName);
        GuideTenant.members(labs).body(member(userName) + ".state", equalTo("active"));

        // "Delete arrives as DELETE /Users/{id} and answers 204": the member leaves; its sign-ins are refused.
        tenant.idp().delete("/Users/{id}", id).then().statusCode(204);
        tenant.idp().get("/Users/{id}", id).then().statusCode(404).contentType(SCIM);
        GuideTenant.members(labs).body("members.email", not(hasItem(userName)));
        tenant.signIn(Map.of("email", userName)).then().statusCode(403)
                .body("detail", containsString("was removed by the identity provider (SCIM) on"));
    }

    /**
     * docs/idp/jumpcloud.md: Test Connection, creates, PUT and PATCH updates, inactive and active (JumpCloud's
     * string booleans), group creation, membership sync, rename, takeover of an existing name, group and user
     * deletion.
     */
    @Test
    void jumpCloudProvisioningLifecycle() {
        GuideTenant tenant = GuideTenant.create("jumpcloud", true);
        String org = tenant.organization();
        String labs = tenant.labs();

        // "Test Connection creates the test user and a test group, and deletes both again": nothing stays behind.
        String probe = tenant.idp().body(jumpCloudUser(tenant.email("scim-test"), "Scim", "Test", "")).post("/Users")
                .then().statusCode(201).extract().path("id");
        String probeGroup = tenant.idp().body(group("JumpCloud Test Group", probe)).post("/Groups")
                .then().statusCode(201).extract().path("id");
        tenant.idp().delete("/Groups/{id}", probeGroup).then().statusCode(204);
        tenant.idp().delete("/Users/{id}", probe).then().statusCode(204);
        tenant.idp().get("/Users").then().statusCode(200).body("totalResults", equalTo(0));
        tenant.idp().get("/Groups").then().statusCode(200).body("totalResults", equalTo(0));
        GuideTenant.members(org).body("members", empty());

        // "Create": 201; without the extension a user joins the default organization and team with the default role.
        String graceName = tenant.email("grace");
        String alanName = tenant.email("alan");
        String grace = tenant.idp().body(jumpCloudUser(graceName, "Grace", "Hopper", "")).post("/Users")
                .then().statusCode(201).body("active", equalTo(true)).extract().path("id");
        String alan = tenant.idp().body(jumpCloudUser(alanName, "Alan", "Turing", "")).post("/Users")
                .then().statusCode(201).extract().path("id");
        GuideTenant.members(org).body(member(graceName) + ".role", equalTo("member"))
                .body(member(graceName) + ".teams", contains("everyone"));
        tenant.idp().body(jumpCloudUser(graceName, "Grace", "Hopper", "")).post("/Users")
                .then().statusCode(409).contentType(SCIM).body("scimType", equalTo("uniqueness"));

        // "Updates arrive as PUT or PATCH": a PUT replaces the whole user (displayName not sent is cleared), a PATCH
        // changes what it names; both answer 200 with the resource.
        tenant.idp().body("""
                {"schemas":["%s"],"userName":"%s","name":{"givenName":"Grace","familyName":"Murray Hopper"},
                 "emails":[{"value":"%s","type":"work","primary":true}]}""".formatted(CORE_USER, graceName, graceName))
                .put("/Users/{id}", grace)
                .then().statusCode(200).body("name.familyName", equalTo("Murray Hopper"))
                .body("displayName", nullValue());
        tenant.idp().body("{\"schemas\":[\"" + PATCH_OP + "\"],\"Operations\":[{\"op\":\"replace\",\"path\":"
                        + "\"name.givenName\",\"value\":\"Alan M.\"}]}").patch("/Users/{id}", alan)
                .then().statusCode(200).body("name.givenName", equalTo("Alan M."))
                .body("name.familyName", equalTo("Turing"));

        // "Groups": bound groups are created with their members. "Engineering" is mapped as in "Roles and
        // placement" (labs, team platform, editor): its members become editors of labs (docs/groups.md).
        String engineering = tenant.idp().body(group("Engineering", grace, alan)).post("/Groups")
                .then().statusCode(201).extract().path("id");
        GuideTenant.admin().get("/connections/{c}/provisioning-errors", tenant.connection()).then().statusCode(200)
                .body("detail", hasItem("group 'Engineering' is not formatted as 'organization:team' - ignored"));
        GuideTenant.admin().body(Map.of("organization", labs, "team", "platform", "role", "editor"))
                .put("/connections/{c}/group-mappings/{g}", tenant.connection(), engineering).then().statusCode(200);
        tenant.awaitMember(labs, graceName, "active", "editor");
        tenant.awaitMember(labs, alanName, "active", "editor");
        tenant.team(labs, "platform").body("members.id", containsInAnyOrder(grace, alan));
        String backend = tenant.idp().body(group(org + ":backend", grace)).post("/Groups")
                .then().statusCode(201).extract().path("id");
        tenant.team(org, "backend").body("members.id", contains(grace));

        // Takeover by name: a second POST with a displayName the connection has is 409, the filter finds it.
        tenant.idp().body(group("Engineering")).post("/Groups")
                .then().statusCode(409).contentType(SCIM).body("scimType", equalTo("uniqueness"));
        tenant.idp().queryParam("filter", "displayName eq \"Engineering\"").get("/Groups").then().statusCode(200)
                .body("totalResults", equalTo(1)).body("Resources[0].id", equalTo(engineering));

        // Membership sync: remove with a value array (204). Alan leaves his last group of labs, so labs; the
        // default organization, where his attribute placement puts him, keeps him.
        tenant.patchGroup(engineering, GuideTenant.membersOperation("remove", alan)).statusCode(204);
        tenant.awaitNotMember(labs, alanName);
        GuideTenant.members(org).body(member(alanName) + ".state", equalTo("active"));
        tenant.team(labs, "platform").body("members.id", contains(grace));

        // Rename: the members move from team backend to team web.
        tenant.patchGroup(backend, "{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"" + org + ":web\"}")
                .statusCode(204);
        tenant.team(org, "backend").body("members", empty());
        tenant.team(org, "web").body("members.id", contains(grace));

        // Inactive and active, as the strings "false" and "true": deactivated everywhere, out of the teams, still in
        // the group; back with the same id, role and teams.
        tenant.idp().body("{\"schemas\":[\"" + PATCH_OP + "\"],\"Operations\":[{\"op\":\"replace\",\"path\":"
                + "\"active\",\"value\":\"false\"}]}").patch("/Users/{id}", grace)
                .then().statusCode(200).body("active", equalTo(false));
        tenant.awaitMember(labs, graceName, "deactivated", "editor");
        GuideTenant.members(org).body(member(graceName) + ".state", equalTo("deactivated"));
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                tenant.team(labs, "platform").body("members", empty()));
        tenant.idp().get("/Groups/{id}", engineering).then().statusCode(200).body("members.value", contains(grace));
        tenant.idp().body(jumpCloudUser(graceName, "Grace", "Murray Hopper", ",\"active\":\"true\""))
                .put("/Users/{id}", grace).then().statusCode(200).body("active", equalTo(true))
                .body("id", equalTo(grace));
        tenant.awaitMember(labs, graceName, "active", "editor");
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                tenant.team(labs, "platform").body("members.id", contains(grace)));

        // A managed group deleted in JumpCloud is deleted here: the labs membership it gave goes with it.
        tenant.idp().delete("/Groups/{id}", engineering).then().statusCode(204);
        tenant.awaitNotMember(labs, graceName);
        GuideTenant.members(org).body(member(graceName) + ".state", equalTo("active"));

        // "Delete arrives as DELETE /Users/{id} (204)": the member leaves the organization.
        tenant.idp().delete("/Users/{id}", grace).then().statusCode(204);
        tenant.idp().get("/Users/{id}", grace).then().statusCode(404);
        GuideTenant.members(org).body("members.email", not(hasItem(graceName)));
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> tenant.idp().get("/Groups/{id}", backend)
                .then().statusCode(200).body("members", anyOf(nullValue(), empty())));
    }

    /**
     * docs/idp/google.md: Google cannot provision by SCIM, so its users arrive by JIT at sign-in (the connection's
     * sign-in hook), placed by their {@code organization:team} groups or the connection's defaults; later an IdP
     * with SCIM adopts them after the JIT-to-SCIM migration, same member id.
     */
    @Test
    void googleWorkspaceSignInLifecycle() {
        // "An organization and a connection for Google, JIT on, SCIM off (the defaults)".
        GuideTenant tenant = GuideTenant.create("google", false);
        String org = tenant.organization();
        String labs = tenant.labs();
        String pat = tenant.email("pat");
        String sam = tenant.email("sam");

        // The guide's sign-in body: `organization:team` groups place the user, a role in attributes sets the role,
        // and other group names come back as ignoredGroups.
        Map<String, Object> patSignsIn = Map.of("email", pat, "givenName", "Pat", "familyName", "Lee",
                "groups", List.of(org + ":backend", labs + ":research", "Engineering", "globex:web"),
                "attributes", Map.of("role", "editor"));
        String patId = tenant.signIn(patSignsIn)
                .then().statusCode(200).body("access", equalTo("granted")).body("organizations", contains(org, labs))
                .body("ignoredGroups", contains("Engineering", "globex:web")).extract().path("accountId");
        GuideTenant.members(org).body(member(pat) + ".source", equalTo("jit")).body(member(pat) + ".role",
                equalTo("editor")).body(member(pat) + ".teams", contains("backend"));
        GuideTenant.members(labs).body(member(pat) + ".role", equalTo("editor"))
                .body(member(pat) + ".teams", contains("research"));
        // Without groups the user joins the default organization and team, with the default role.
        tenant.signIn(Map.of("email", sam, "givenName", "Sam")).then().statusCode(200)
                .body("organizations", contains(org)).body("ignoredGroups", empty());
        GuideTenant.members(org).body(member(sam) + ".role", equalTo("member"))
                .body(member(sam) + ".teams", contains("everyone"));
        // A later sign-in (the SSO layer sends the same assertion) finds the same member.
        tenant.signIn(patSignsIn).then().statusCode(200).body("accountId", equalTo(patId));

        // "With jitEnabled:false only existing members and invitees may sign in; everyone else gets 403".
        GuideTenant.admin().body(Map.of("jitEnabled", false)).patch("/connections/{c}", tenant.connection())
                .then().statusCode(200);
        tenant.signIn(Map.of("email", tenant.email("lee"))).then().statusCode(403)
                .body("detail", containsString("is not assigned to this organization"));
        tenant.signIn(Map.of("email", pat)).then().statusCode(200).body("access", equalTo("granted"));
        GuideTenant.admin().body(Map.of("jitEnabled", true)).patch("/connections/{c}", tenant.connection())
                .then().statusCode(200);

        // "No deprovisioning": leavers are removed by hand.
        GuideTenant.admin().delete("/organizations/{o}/members/{e}", org, sam).then().statusCode(204);
        GuideTenant.members(org).body("members.email", not(hasItem(sam)));
        GuideTenant.admin().body(Map.of("email", tenant.email("cfo"), "role", "owner"))
                .post("/organizations/{o}/members", org).then().statusCode(201);

        // "Moving from JIT to SCIM later", the guide's three steps: the dry run (members added by hand never are
        // adopted), SCIM on with a token, adoption on.
        GuideTenant.admin().body(Map.of("dryRun", true))
                .post("/connections/{c}/migrations/jit-to-scim", tenant.connection()).then().statusCode(200)
                .body("dryRun", equalTo(true)).body("adoptionEnabled", equalTo(false))
                .body("adoptable", hasItem(pat)).body("notAdoptable.email", contains(tenant.email("cfo")));
        GuideTenant.admin().body(Map.of("scimEnabled", true)).patch("/connections/{c}", tenant.connection())
                .then().statusCode(200);
        String token = GuideTenant.newScimToken(tenant.connection());
        GuideTenant.awaitScimAccepts(token);
        GuideTenant.idp(token).get("/Users").then().statusCode(200).body("totalResults", equalTo(0));
        GuideTenant.admin().body(Map.of("dryRun", false))
                .post("/connections/{c}/migrations/jit-to-scim", tenant.connection()).then().statusCode(200)
                .body("adoptionEnabled", equalTo(true));

        // The SCIM IdP creates the user whose userName is the JIT member's email: 201, the same member id, source
        // scim; then it updates that id as its own.
        // (Here the user as JumpCloud, importing from Google, creates it: the guide's second path.)
        GuideTenant.idp(token).body(jumpCloudUser(pat, "Pat", "Lee", "")).post("/Users")
                .then().statusCode(201).body("id", equalTo(patId));
        // Same member, now SCIM's: the create places it as any SCIM create does, here (no role-mapping extension)
        // in the connection's defaults - default role and team instead of the sign-in's editor and backend, and out
        // of labs, where only a sign-in had put it.
        GuideTenant.members(org).body(member(pat) + ".source", equalTo("scim"))
                .body(member(pat) + ".state", equalTo("active")).body(member(pat) + ".role", equalTo("member"))
                .body(member(pat) + ".teams", contains("everyone"));
        GuideTenant.members(labs).body("members.email", not(hasItem(pat)));
        GuideTenant.idp(token).body("{\"schemas\":[\"" + PATCH_OP + "\"],\"Operations\":[{\"op\":\"replace\","
                        + "\"path\":\"name.familyName\",\"value\":\"Lee-Park\"}]}").patch("/Users/{id}", patId)
                .then().statusCode(200).body("id", equalTo(patId)).body("name.familyName", equalTo("Lee-Park"));
        lookup(tenant.withToken(token), pat)
                .body("totalResults", equalTo(1)).body("Resources[0].id", equalTo(patId));

        // "While JIT stays on, a role sent at sign-in wins over the role SCIM set."
        tenant.signIn(Map.of("email", pat, "attributes", Map.of("role", "owner"))).then().statusCode(200);
        GuideTenant.members(org).body(member(pat) + ".role", equalTo("owner"));
    }

    private static ValidatableResponse lookup(GuideTenant tenant, String userName) {
        return tenant.idp().queryParam("filter", "userName eq \"" + userName + "\"").get("/Users").then()
                .statusCode(200).contentType(SCIM);
    }

    /** The user OneLogin builds from the guide's SCIM JSON Template, each placeholder filled in. */
    private static String oneLoginUser(String userName, String lastName, String department, String dockerRole,
            String dockerOrg, String dockerTeam) {
        return """
                {"schemas":["%s","%s","%s"],"userName":"%s",
                 "name":{"givenName":"Ada","familyName":"%s","formatted":"Ada %s"},"displayName":"Ada %s",
                 "emails":[{"value":"%s","type":"work","primary":true}],
                 "%s":{"department":"%s"},
                 "%s":{"dockerRole":"%s","dockerOrg":"%s","dockerTeam":"%s"}}"""
                .formatted(CORE_USER, ENTERPRISE, ROLE_MAPPING, userName, lastName, lastName, lastName, userName,
                        ENTERPRISE, department, ROLE_MAPPING, dockerRole, dockerOrg, dockerTeam);
    }

    /** A user from JumpCloud's attribute table (Username, First Name, Last Name) plus what else it sends. */
    private static String jumpCloudUser(String userName, String givenName, String familyName, String more) {
        return """
                {"schemas":["%s"],"userName":"%s","name":{"givenName":"%s","familyName":"%s"},
                 "emails":[{"value":"%s","type":"work","primary":true}],"displayName":"%s %s"%s}"""
                .formatted(CORE_USER, userName, givenName, familyName, userName, givenName, familyName, more);
    }

    private static String group(String displayName, String... members) {
        return "{\"schemas\":[\"" + GuideTenant.CORE_GROUP + "\"],\"displayName\":\"" + displayName + "\",\"members\":"
                + GuideTenant.memberArray(members) + "}";
    }
}
