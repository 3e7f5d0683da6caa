package dev.scimsync.serviceauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.keys.EllipticCurves;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ServiceTokensTest {

    private static EllipticCurveJsonWebKey key;

    /** Where SmallRye JWT's builder takes the signing key from, as a service is configured. */
    @BeforeAll
    static void signingKey() throws Exception {
        key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        key.setKeyId("scim-gateway");
        Path file = Files.createTempFile("scim-gateway", ".jwk.json");
        Files.writeString(file, key.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
        System.setProperty("smallrye.jwt.sign.key.location", file.toString());
    }

    private static final class Ticking extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static JwtContext verified(String authorization) throws Exception {
        assertTrue(authorization.startsWith("Bearer "), authorization);
        return new JwtConsumerBuilder().setVerificationKey(key.getPublicKey()).setSkipDefaultAudienceValidation()
                .setSkipAllDefaultValidators().build().process(authorization.substring("Bearer ".length()));
    }

    @Test
    void aTokenNamesTheCallerAndTheServiceCalledUnderTheCallersKeyForAMinute() throws Exception {
        Ticking clock = new Ticking();
        JwtContext token = verified(new ServiceTokens("scim-gateway", clock).authorization("membership-service"));
        JwtClaims claims = token.getJwtClaims();
        assertEquals("scim-gateway", token.getJoseObjects().get(0).getKeyIdHeaderValue());
        assertEquals("ES256", token.getJoseObjects().get(0).getAlgorithmHeaderValue());
        assertEquals("scim-gateway", claims.getIssuer());
        assertEquals("scim-gateway", claims.getSubject());
        assertEquals(java.util.List.of("membership-service"), claims.getAudience());
        assertEquals(clock.now.getEpochSecond() + 60, claims.getExpirationTime().getValue());
    }

    @Test
    void aTokenIsReusedUntilTenSecondsBeforeItExpiresAndIsPerAudience() {
        Ticking clock = new Ticking();
        ServiceTokens tokens = new ServiceTokens("scim-gateway", clock);
        String first = tokens.authorization("membership-service");
        assertNotEquals(first, tokens.authorization("group-sync-service"));
        clock.now = clock.now.plus(Duration.ofSeconds(49));
        assertEquals(first, tokens.authorization("membership-service"));
        clock.now = clock.now.plus(Duration.ofSeconds(1));
        assertNotEquals(first, tokens.authorization("membership-service"));
    }
}
