package dev.scimsync.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The scope rule, table by table: what an admin scoped to organization {@code acme} may reach, and what not. */
class AdminScopeTest {

    private static final AdminScope ACME = AdminScope.organization("acme");

    private static AdminScope.Decision decide(String method, String path, String query) {
        return ACME.decide(method, path, query, null);
    }

    @ParameterizedTest(name = "{0} {1}?{2} is allowed as asked")
    @CsvSource(nullValues = "-", value = {
            "GET, organizations/acme, -",
            "GET, organizations/acme/members, state=active",
            "POST, organizations/acme/members, -",
            "DELETE, organizations/acme/members/ada%40acme.test, -",
            "GET, organizations/acme/members/export, -",
            "POST, organizations/acme/invitations, -",
            "DELETE, organizations/acme/invitations/ada%40acme.test, -",
            "GET, organizations/acme/teams/everyone/members, -",
            "GET, organizations/acme/admin-tokens, -"})
    void itsOwnOrganizationIsOpen(String method, String path, String query) {
        assertEquals(new AdminScope.Allowed(query), decide(method, path, query));
    }

    @ParameterizedTest(name = "{0} {1}?{2} is refused")
    @CsvSource(nullValues = "-", value = {
            "GET, organizations/globex, -",
            "GET, organizations/globex/members, -",
            "POST, organizations/globex/members, -",
            "DELETE, organizations/globex/invitations/ada%40acme.test, -",
            "GET, organizations/acme-labs/members, -",
            "GET, organizations/globex/teams, -",
            "GET, organizations/globex/admin-tokens, -",
            "POST, organizations, -",
            "PATCH, organizations/acme, -",
            "POST, organizations/acme/admin-tokens, -",
            "DELETE, organizations/acme/admin-tokens/0123456789ab, -",
            "POST, organizations/globex/admin-tokens, -",
            "GET, dead-letters, -",
            "POST, dead-letters/scim.user.commands.dlq/0/12/replay, -",
            "GET, failed-authentications, -",
            "GET, audit/records, -",
            "GET, audit/records, organization=acme",
            "GET, audit/records, connection=admin",
            "GET, audit/records, connection=a&connection=b",
            "GET, audit/records, connection=",
            "GET, audit/verify, -",
            "GET, audit/export, format=csv",
            "GET, audit/records/5b0c3c2e-8f5e-4c55-9d55-2f1f3f0d6a11, -",
            "GET, something-new, -",
            "GET, organizations/acme/../globex/members, -",
            "GET, organizations/acme/%2e%2e/globex/members, -",
            "GET, organizations//members, -",
            "GET, organizations/acme/members/%zz, -",
            "GET, audit/records, connection=%zz",
            "POST, organizations/acme/admin-tokens;a, -",
            "DELETE, organizations/acme/admin-tokens;a/0123456789ab, -",
            "PATCH, organizations/acme/;a, -",
            "GET, audit/records;a/5b0c3c2e-8f5e-4c55-9d55-2f1f3f0d6a11, connection=acme-sso",
            "GET, audit/records, x=;connection=&connection=acme-sso",
            "GET, audit/export, CONNECTION=&connection=acme-sso",
            "GET, audit/records, connection=admin;connection=acme-sso"})
    void everythingElseIsRefusedWithAReason(String method, String path, String query) {
        AdminScope.Refused refused = assertInstanceOf(AdminScope.Refused.class, decide(method, path, query));
        assertTrue(refused.status() == 403 || refused.status() == 400, refused.toString());
        assertTrue(!refused.detail().isBlank());
    }

    @Test
    void malformedEncodingIsABadRequestNotAnError() {
        assertEquals(400, ((AdminScope.Refused) decide("GET", "organizations/%zz", null)).status());
    }

    @Test
    void anOrganizationNamedWithEncodedCharactersIsComparedDecoded() {
        AdminScope odd = AdminScope.organization("a+b");
        assertEquals(new AdminScope.Allowed(null), odd.decide("GET", "organizations/a+b/members", null, null));
        assertInstanceOf(AdminScope.Refused.class, odd.decide("GET", "organizations/a%20b/members", null, null));
    }

    @Test
    void listsAreNarrowedToItsOrganizationWhateverWasAsked() {
        assertEquals(new AdminScope.Allowed("organization=acme"), decide("GET", "organizations", null));
        assertEquals(new AdminScope.Allowed("organization=acme"), decide("GET", "connections", "organization=globex"));
        assertEquals(new AdminScope.Allowed("organization=a+b"),
                AdminScope.organization("a b").decide("GET", "connections", null, null));
    }

    @ParameterizedTest(name = "{0} {1}?{2} waits for connection {3}")
    @CsvSource(nullValues = "-", value = {
            "GET, connections/acme-sso, -, acme-sso",
            "POST, connections/acme-sso/scim-tokens, -, acme-sso",
            "DELETE, connections/acme-sso/scim-tokens/0123456789ab, -, acme-sso",
            "PUT, connections/acme-sso/group-mappings/g1, -, acme-sso",
            "GET, connections/acme-sso/groups, -, acme-sso",
            "POST, connections/acme-sso/migrations/jit-to-scim, -, acme-sso",
            "POST, connections/acme-sso/migrations/from-connection, -, acme-sso",
            "DELETE, connections/acme-sso/migrations/from-connection, -, acme-sso",
            "GET, connections/globex-sso/provisioning-errors, -, globex-sso",
            "GET, connections/globex-sso/troubleshooting, -, globex-sso",
            "GET, audit/records, connection=5b0c3c2e&action=admin.scim-token.issue, 5b0c3c2e",
            "GET, audit/verify, connection=5b0c3c2e, 5b0c3c2e",
            "GET, audit/export, format=csv&connection=5b0c3c2e, 5b0c3c2e",
            "GET, audit/activity, connection=5b0c3c2e&bucket=day, 5b0c3c2e"})
    void aConnectionPathIsDecidedByTheConnectionsOrganizations(String method, String path, String query,
            String connection) {
        assertEquals(new AdminScope.ConnectionToCheck(connection, query), decide(method, path, query));
    }

    @Test
    void aConnectionIsItsOnlyWhenItServesItsOrganizationAlone() {
        var check = new AdminScope.ConnectionToCheck("acme-sso", "x=1");
        assertEquals(new AdminScope.Allowed("x=1"), ACME.connectionFound(check, List.of("acme")));
        assertInstanceOf(AdminScope.Refused.class, ACME.connectionFound(check, List.of("acme", "acme-labs")));
        assertInstanceOf(AdminScope.Refused.class, ACME.connectionFound(check, List.of("globex")));
        assertInstanceOf(AdminScope.Refused.class, ACME.connectionFound(check, List.of()));
        AdminScope.Refused missing = assertInstanceOf(AdminScope.Refused.class, ACME.connectionFound(check, null));
        assertEquals(403, missing.status(), "a connection that does not exist reads as one outside the scope");
    }

    @Test
    void aConnectionIsCreatedOrChangedOnlyIntoItsOwnOrganization() {
        assertEquals(new AdminScope.Allowed(null), ACME.decide("POST", "connections", null, Set.of("acme")));
        assertInstanceOf(AdminScope.Refused.class, ACME.decide("POST", "connections", null, Set.of("acme", "globex")));
        assertInstanceOf(AdminScope.Refused.class, ACME.decide("POST", "connections", null, null));
        assertEquals(new AdminScope.ConnectionToCheck("acme-sso", null),
                ACME.decide("PATCH", "connections/acme-sso", null, Set.of()));
        assertInstanceOf(AdminScope.Refused.class,
                ACME.decide("PATCH", "connections/acme-sso", null, Set.of("globex")));
        assertInstanceOf(AdminScope.Refused.class, ACME.decide("PATCH", "connections/acme-sso", null, null));
    }

    /**
     * Found by a review: the owning services read ';' as a parameter separator and names in any case, and drop a
     * path segment's ';...' before routing - read differently here, a scoped admin reached every tenant's audit log
     * and issued its own admin tokens.
     */
    @Test
    void queriesAreReadAsTheOwnersReadThemAndMatrixParametersAreRefusedForEveryone() {
        assertEquals(new AdminScope.ConnectionToCheck("acme-sso", "Connection=acme-sso"),
                decide("GET", "audit/records", "Connection=acme-sso"));
        AdminScope.Refused matrix = assertInstanceOf(AdminScope.Refused.class,
                AdminScope.OPERATOR.decide("POST", "organizations/acme/admin-tokens;a", null, null));
        assertEquals(400, matrix.status());
    }

    @Test
    void aMigrationAdoptsOnlyFromAConnectionOfItsOrganizationAlone() {
        var allowed = new AdminScope.Allowed(null);
        assertEquals(new AdminScope.ConnectionToCheck("shared-sso", null),
                ACME.adoptingFrom("POST", "connections/acme-sso/migrations/from-connection", "shared-sso", allowed));
        assertEquals(new AdminScope.ConnectionToCheck("shared-sso", null),
                ACME.adoptingFrom("POST", "%63onnections/acme-sso/migrations/from-connection", "shared-sso", allowed));
        assertEquals(allowed, ACME.adoptingFrom("DELETE", "connections/acme-sso/migrations/from-connection", null,
                allowed));
        assertEquals(allowed, ACME.adoptingFrom("POST", "connections/acme-sso/migrations/jit-to-scim", "shared-sso",
                allowed));
        assertEquals(allowed, AdminScope.OPERATOR.adoptingFrom("POST",
                "connections/acme-sso/migrations/from-connection", "shared-sso", allowed));
    }

    @Test
    void theOperatorReachesEverythingAsAsked() {
        for (String path : List.of("organizations", "organizations/globex/members", "dead-letters", "audit/records",
                "connections/globex-sso", "organizations/acme/admin-tokens", "organizations/acme/../x")) {
            assertEquals(new AdminScope.Allowed("q=1"), AdminScope.OPERATOR.decide("POST", path, "q=1", null));
        }
        assertTrue(AdminScope.OPERATOR.isOperator());
        assertTrue(AdminScope.OPERATOR.scopedTo().isEmpty());
        assertEquals("acme", ACME.scopedTo().orElseThrow());
    }
}
