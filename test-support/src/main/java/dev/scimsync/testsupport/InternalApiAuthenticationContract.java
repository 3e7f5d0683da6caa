package dev.scimsync.testsupport;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.serviceauth.VerifiedServiceTokens;
import dev.scimsync.stack.ServiceKeys;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.restassured.response.ValidatableResponse;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.enterprise.util.TypeLiteral;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every service's internal API must refuse (docs/security.md), run by each service's
 * {@code ServiceAuthenticationTest} against its own admin API: no token, an expired one, one for another
 * service, one signed by a key not in the JWKS, one whose issuer is not the service its key belongs to (401
 * each), and a token of a service that may not call the admin API (403); the gateway's token is answered and
 * the health probes and metrics stay open. A token is verified once and then remembered: a remembered token still
 * meets the permissions, and another signature under the same header and claims is still refused.
 */
public abstract class InternalApiAuthenticationContract {

    private final String service;
    private final String otherService;

    /** @param otherService any service but this one, for a token meant for someone else */
    protected InternalApiAuthenticationContract(String service, String otherService) {
        this.service = service;
        this.otherService = otherService;
    }

    /** A GET of the service's admin API that answers the gateway 200. */
    protected abstract String adminPath();

    private ValidatableResponse getAdmin(String authorization) {
        return given().noFilters().header("Authorization", authorization).get(adminPath()).then();
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    private static void refusedAsUnauthenticated(ValidatableResponse response) {
        response.statusCode(401).header("WWW-Authenticate", "Bearer").body("status", equalTo(401));
    }

    @Test
    void aCallWithoutCredentialsIsRefused() {
        refusedAsUnauthenticated(given().noFilters().get(adminPath()).then());
        refusedAsUnauthenticated(given().noFilters().header("Authorization", "Bearer not-a-token").get(adminPath()).then());
    }

    @Test
    void theGatewaysTokenIsAnswered() {
        getAdmin(TestServiceTokens.authorization("scim-gateway", service)).statusCode(200);
    }

    @Test
    void anExpiredTokenIsRefused() {
        refusedAsUnauthenticated(getAdmin(bearer(TestServiceTokens.token(TestServiceTokens.key("scim-gateway"),
                "scim-gateway", service, Instant.now().minusSeconds(30)))));
    }

    @Test
    void aTokenForAnotherServiceIsRefused() {
        refusedAsUnauthenticated(getAdmin(TestServiceTokens.authorization("scim-gateway", otherService)));
    }

    @Test
    void aTokenSignedByAKeyNotInTheJwksIsRefused() {
        Instant inAMinute = Instant.now().plusSeconds(60);
        // The kid of the gateway's key, but another key: the signature does not verify.
        refusedAsUnauthenticated(getAdmin(bearer(TestServiceTokens.token(ServiceKeys.newKey("scim-gateway"),
                "scim-gateway", service, inAMinute))));
        // A kid the JWKS does not have (a rotated key not yet published).
        refusedAsUnauthenticated(getAdmin(bearer(TestServiceTokens.token(ServiceKeys.newKey("scim-gateway.9"),
                "scim-gateway", service, inAMinute))));
    }

    @Test
    void aServiceCannotSpeakForAnotherWithItsOwnKey() {
        refusedAsUnauthenticated(getAdmin(bearer(TestServiceTokens.token(TestServiceTokens.key("group-sync-service"),
                "scim-gateway", service, Instant.now().plusSeconds(60)))));
    }

    @Test
    void onlyTheGatewayMayCallTheAdminApi() {
        getAdmin(TestServiceTokens.authorization("group-sync-service", service)).statusCode(403)
                .body("status", equalTo(403));
    }

    @Test
    void aVerifiedTokenIsRememberedAndARememberedTokenStillMeetsThePermissions() {
        String gateway = TestServiceTokens.token(TestServiceTokens.key("scim-gateway"), "scim-gateway", service,
                Instant.now().plusSeconds(60));
        getAdmin(bearer(gateway)).statusCode(200);
        assertTrue(CDI.current().select(VerifiedServiceTokens.class).get().known(gateway).isPresent(),
                "verified once, then remembered");
        getAdmin(bearer(gateway)).statusCode(200);

        String groupSync = TestServiceTokens.token(TestServiceTokens.key("group-sync-service"), "group-sync-service",
                service, Instant.now().plusSeconds(60));
        getAdmin(bearer(groupSync)).statusCode(403);
        getAdmin(bearer(groupSync)).statusCode(403);
    }

    /**
     * Quarkus asks the identity providers of a bearer token highest priority first, and the first that answers
     * wins: the remembered tokens must come before SmallRye JWT's validator, or every call is verified again (it
     * was: half of membership-service's CPU during a sync).
     */
    @Test
    void rememberedTokensAreAskedForBeforeASignatureIsVerified() {
        List<IdentityProvider<TokenAuthenticationRequest>> tokenProviders = CDI.current()
                .select(new TypeLiteral<IdentityProvider<TokenAuthenticationRequest>>() {
                }, Any.Literal.INSTANCE).stream()
                .sorted(Comparator.comparingInt(IdentityProvider<TokenAuthenticationRequest>::priority).reversed())
                .toList();
        assertTrue(tokenProviders.size() >= 2, "SmallRye JWT's validator and the remembered tokens: " + tokenProviders);
        assertInstanceOf(VerifiedServiceTokens.class, tokenProviders.get(0), "asked first: " + tokenProviders);
    }

    @Test
    void anotherSignatureUnderARememberedTokensHeaderAndClaimsIsRefused() {
        Instant inAMinute = Instant.now().plusSeconds(60);
        String remembered = TestServiceTokens.token(TestServiceTokens.key("scim-gateway"), "scim-gateway", service,
                inAMinute);
        getAdmin(bearer(remembered)).statusCode(200);
        String[] parts = remembered.split("\\.");
        String otherSignature = TestServiceTokens.token(ServiceKeys.newKey("scim-gateway"), "scim-gateway", service,
                inAMinute).split("\\.")[2];
        refusedAsUnauthenticated(getAdmin(bearer(parts[0] + "." + parts[1] + "." + otherSignature)));
    }

    @Test
    void healthAndMetricsStayOpen() {
        given().noFilters().get("/q/health/ready").then().statusCode(200);
        given().noFilters().get("/q/health/live").then().statusCode(200);
        given().noFilters().get("/q/metrics").then().statusCode(200);
    }
}
