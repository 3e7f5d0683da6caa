package dev.scimsync.serviceauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quarkus.security.AuthenticationFailedException;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.EllipticCurves;
import org.junit.jupiter.api.Test;

/** The key a token was verified with decides who called; the token's own claims cannot say otherwise. */
class CallingServiceTest {

    private static String token(String kid, String issuer, String subject) throws Exception {
        EllipticCurveJsonWebKey key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setSubject(subject);
        claims.setStringListClaim("groups", "scim-gateway");
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(kid);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        return jws.getCompactSerialization();
    }

    @Test
    void theCallerIsTheServiceItsKeyBelongsTo() throws Exception {
        assertEquals("group-sync-service",
                CallingService.caller(token("group-sync-service", "group-sync-service", "group-sync-service")).service());
        // A second key of the same service, during a rotation.
        assertEquals("scim-gateway", CallingService.caller(token("scim-gateway.2", "scim-gateway", "scim-gateway")).service());
    }

    @Test
    void aTokenWhoseIssuerOrSubjectIsAnotherServiceThanItsKeysIsRefused() {
        assertThrows(AuthenticationFailedException.class,
                () -> CallingService.caller(token("group-sync-service", "scim-gateway", "scim-gateway")));
        assertThrows(AuthenticationFailedException.class,
                () -> CallingService.caller(token("group-sync-service", "group-sync-service", "scim-gateway")));
        assertThrows(AuthenticationFailedException.class,
                () -> CallingService.caller(token(null, "scim-gateway", "scim-gateway")));
        assertThrows(AuthenticationFailedException.class,
                () -> CallingService.caller(token(".scim-gateway", "", "")));
    }
}
