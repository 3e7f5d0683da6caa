package dev.scimsync.membership.api.admin;

import static dev.scimsync.membership.api.admin.MembershipRulesTest.admin;
import static dev.scimsync.membership.api.admin.MembershipRulesTest.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.scimsync.contracts.ScopedAdminTokens;
import dev.scimsync.testsupport.InfrastructureTestResource;
import dev.scimsync.testsupport.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Admin tokens scoped to an organization: issued once (only the digest of the secret is stored), listed without
 * secrets, revoked; checked by id and digest - a revoked token, a wrong secret and an unknown id are refused.
 * And the lists an admin scoped to an organization is shown. Against the real database.
 */
@QuarkusTest
@QuarkusTestResource(InfrastructureTestResource.class)
class ScopedAdminTokensTest {

    private static ValidatableResponse verify(ScopedAdminTokens.Check check) {
        return given().contentType(ContentType.JSON).body(check).post("/internal/v1/admin-tokens/verify").then();
    }

    private static ScopedAdminTokens.Check check(String token) {
        return ScopedAdminTokens.parse(token).orElseThrow().check();
    }

    @Test
    void anIssuedTokenIsShownOnceStoredAsADigestListedWithoutSecretAndRefusedOnceRevoked() throws Exception {
        String org = unique("scoped");
        admin().body(Map.of("name", org)).post("/organizations").then().statusCode(201)
                .header("Location", endsWith("/internal/v1/admin/organizations/" + org));

        var issued = admin().body(Map.of("label", "tenant admin")).post("/organizations/{o}/admin-tokens", org)
                .then().statusCode(201).header("Location", containsString("/internal/v1/admin/organizations/" + org
                        + "/admin-tokens/"))
                .body("label", equalTo("tenant admin")).body("createdAt", notNullValue()).extract();
        String id = issued.path("id");
        String token = issued.path("token");
        assertEquals(id, ScopedAdminTokens.parse(token).orElseThrow().id());

        // At rest: the SHA-256 of the secret, neither the token nor the secret.
        try (var database = TestDatabase.connect();
                var query = database.prepareStatement("select secret_hash from scoped_admin_token where id = ?")) {
            query.setString(1, id);
            var row = query.executeQuery();
            row.next();
            byte[] stored = row.getBytes(1);
            String secret = ScopedAdminTokens.parse(token).orElseThrow().secret();
            assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains(secret));
            assertFalse(java.util.Arrays.equals(token.getBytes(StandardCharsets.UTF_8), stored));
            assertArrayEquals(ScopedAdminTokens.digestBytes(secret), stored);
        }

        admin().get("/organizations/{o}/admin-tokens", org).then().statusCode(200)
                .body("id", contains(id)).body("[0].label", equalTo("tenant admin"))
                .body("[0].revokedAt", nullValue()).body("[0].lastUsedAt", nullValue())
                .body(not(containsString(ScopedAdminTokens.parse(token).orElseThrow().secret())))
                .body("[0]", not(hasKey("token")));

        verify(check(token)).statusCode(200).body("tokenId", equalTo(id)).body("organization", equalTo(org));
        admin().get("/organizations/{o}/admin-tokens", org).then().body("[0].lastUsedAt", notNullValue());

        admin().delete("/organizations/{o}/admin-tokens/{id}", org, id).then().statusCode(204);
        verify(check(token)).statusCode(401);
        admin().delete("/organizations/{o}/admin-tokens/{id}", org, id).then().statusCode(404)
                .body("detail", containsString(id));
        admin().get("/organizations/{o}/admin-tokens", org).then().statusCode(200)
                .body("id", contains(id)).body("[0].revokedAt", notNullValue());
    }

    @Test
    void aWrongSecretAnUnknownIdAndAMalformedCheckAreRefused() {
        String org = unique("scoped");
        admin().body(Map.of("name", org)).post("/organizations").then().statusCode(201);
        String token = admin().post("/organizations/{o}/admin-tokens", org).then().statusCode(201)
                .body("label", nullValue()).extract().path("token");
        String id = ScopedAdminTokens.parse(token).orElseThrow().id();

        verify(new ScopedAdminTokens.Check(id, ScopedAdminTokens.digest("a guess"))).statusCode(401);
        verify(new ScopedAdminTokens.Check("0123456789ab", check(token).secretDigest())).statusCode(401);
        verify(new ScopedAdminTokens.Check(id, "not base64url!")).statusCode(401);
        given().contentType(ContentType.JSON).body("{}").post("/internal/v1/admin-tokens/verify").then()
                .statusCode(400);
    }

    /**
     * A security reviewer's finding: an organization's admin token, leaked or forgotten, worked forever. It now
     * expires - 90 days by default, or the days asked - and a token issued before expiry existed keeps working.
     */
    @Test
    void aTokenExpiresAfterTheDaysItWasIssuedForAndAnOlderTokenWithoutExpiryStillWorks() throws Exception {
        String org = unique("expiring");
        admin().body(Map.of("name", org)).post("/organizations").then().statusCode(201);
        var byDefault = admin().post("/organizations/{o}/admin-tokens", org).then().statusCode(201).extract();
        assertEquals(Instant.parse(byDefault.path("createdAt")).plus(Duration.ofDays(90)),
                Instant.parse(byDefault.path("expiresAt")));
        var weekly = admin().body(Map.of("label", "a week", "validForDays", 7))
                .post("/organizations/{o}/admin-tokens", org).then().statusCode(201).extract();
        assertEquals(Instant.parse(weekly.path("createdAt")).plus(Duration.ofDays(7)),
                Instant.parse(weekly.path("expiresAt")));
        admin().body(Map.of("validForDays", 0)).post("/organizations/{o}/admin-tokens", org).then().statusCode(400)
                .body("detail", equalTo("'validForDays' is from 1 to 3650"));
        admin().body(Map.of("validForDays", 3651)).post("/organizations/{o}/admin-tokens", org).then().statusCode(400);
        verify(check(weekly.path("token"))).statusCode(200);

        // The week is over; the default token was issued before tokens expired.
        try (var database = TestDatabase.connect();
                var expire = database.prepareStatement("update scoped_admin_token set expires_at = "
                        + "case id when ? then now() - interval '1 second' else null end where id in (?, ?)")) {
            expire.setString(1, weekly.path("id"));
            expire.setString(2, weekly.path("id"));
            expire.setString(3, byDefault.path("id"));
            assertEquals(2, expire.executeUpdate());
        }
        verify(check(weekly.path("token"))).statusCode(401);
        verify(check(byDefault.path("token"))).statusCode(200);
        admin().get("/organizations/{o}/admin-tokens", org).then().statusCode(200)
                .body("find { it.label == 'a week' }.expiresAt", notNullValue())
                .body("find { it.label == null }.expiresAt", nullValue());
    }

    @Test
    void issuingForAnUnknownOrganizationOrWithAnOverlongLabelIsAClearError() {
        admin().post("/organizations/{o}/admin-tokens", unique("nowhere")).then().statusCode(404)
                .body("detail", containsString("not found"));
        String org = unique("scoped");
        admin().body(Map.of("name", org)).post("/organizations").then().statusCode(201);
        admin().body(Map.of("label", "x".repeat(201))).post("/organizations/{o}/admin-tokens", org).then()
                .statusCode(400).body("detail", containsString("label"));
        admin().get("/organizations/{o}/admin-tokens", org).then().statusCode(200).body("$", empty());
    }

    @Test
    void theListsFilteredToAnOrganizationShowOnlyWhatIsItsAlone() {
        String org = unique("own");
        String other = unique("other");
        admin().body(Map.of("name", org)).post("/organizations").then().statusCode(201);
        admin().body(Map.of("name", other)).post("/organizations").then().statusCode(201);
        admin().body(Map.of("name", org + "-sso", "defaultOrganization", org)).post("/connections").then()
                .statusCode(201);
        admin().body(Map.of("name", org + "-shared", "defaultOrganization", org, "organizations", List.of(org, other)))
                .post("/connections").then().statusCode(201);

        admin().queryParam("organization", org).get("/connections").then().statusCode(200)
                .body("name", contains(org + "-sso"));
        admin().queryParam("organization", org).get("/organizations").then().statusCode(200)
                .body("name", contains(org));
        admin().queryParam("organization", unique("nowhere")).get("/organizations").then().statusCode(200)
                .body("$", hasSize(0));
    }
}
