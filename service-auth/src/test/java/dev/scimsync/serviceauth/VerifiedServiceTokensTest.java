package dev.scimsync.serviceauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.EllipticCurves;
import org.junit.jupiter.api.Test;

/** A verified service token is verified once and remembered until it expires; nothing else is remembered. */
class VerifiedServiceTokensTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    /** A clock the test moves. */
    private static final class MovingClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(NOW);

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    /** The principal SmallRye JWT gives a token it verified. */
    private record VerifiedJwt(String getName) implements JsonWebToken {
        @Override
        public Set<String> getClaimNames() {
            return Set.of();
        }

        @Override
        public <T> T getClaim(String claimName) {
            return null;
        }
    }

    private static String token(String service, Instant expiresAt) throws Exception {
        EllipticCurveJsonWebKey key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(service);
        claims.setSubject(service);
        claims.setExpirationTime(NumericDate.fromSeconds(expiresAt.getEpochSecond()));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(service);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        return jws.getCompactSerialization();
    }

    private static SecurityIdentity verifiedBySmallRye(String token) {
        return QuarkusSecurityIdentity.builder().setPrincipal(new VerifiedJwt("scim-gateway"))
                .addCredential(new TokenCredential(token, "bearer")).build();
    }

    private static SecurityIdentity asked(VerifiedServiceTokens tokens, String token) {
        return tokens.authenticate(new TokenAuthenticationRequest(new TokenCredential(token, "bearer")), null)
                .await().indefinitely();
    }

    @Test
    void aTokenSmallRyeVerifiedIsAnsweredWithoutVerificationUntilItExpires() throws Exception {
        MovingClock clock = new MovingClock();
        VerifiedServiceTokens tokens = new VerifiedServiceTokens(clock);
        CallingService calling = new CallingService(tokens);
        String token = token("scim-gateway", NOW.plusSeconds(60));

        assertNull(asked(tokens, token), "never verified: left to SmallRye JWT");
        SecurityIdentity caller = calling.augment(verifiedBySmallRye(token), null).await().indefinitely();
        assertEquals("scim-gateway", caller.getPrincipal().getName());
        assertTrue(caller.hasRole("scim-gateway"));

        SecurityIdentity remembered = asked(tokens, token);
        assertSame(caller, remembered, "the second call is not verified again");
        assertSame(remembered, calling.augment(remembered, null).await().indefinitely(),
                "the remembered identity passes the augmentor as it is");

        clock.now.set(NOW.plusSeconds(60));
        assertNull(asked(tokens, token), "expired: SmallRye JWT verifies (and refuses) it");
    }

    @Test
    void onlyTheExactTextOfAVerifiedTokenIsRemembered() throws Exception {
        VerifiedServiceTokens tokens = new VerifiedServiceTokens(new MovingClock());
        CallingService calling = new CallingService(tokens);
        String token = token("scim-gateway", NOW.plusSeconds(60));
        calling.augment(verifiedBySmallRye(token), null).await().indefinitely();

        // Another signature over the same claims, and the token with its last character changed.
        assertNull(asked(tokens, token("scim-gateway", NOW.plusSeconds(60))));
        String tampered = token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");
        assertNull(asked(tokens, tampered));
    }

    @Test
    void anIdentityNeitherVerifiedBySmallRyeNorRememberedIsRefused() throws Exception {
        CallingService calling = new CallingService(new VerifiedServiceTokens(new MovingClock()));
        String token = token("scim-gateway", NOW.plusSeconds(60));
        SecurityIdentity unverified = QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal("scim-gateway"))
                .addRole("scim-gateway").addCredential(new TokenCredential(token, "bearer")).build();
        assertThrows(AuthenticationFailedException.class, () -> calling.augment(unverified, null));
    }

    @Test
    void theNumberRememberedIsBounded() throws Exception {
        MovingClock clock = new MovingClock();
        VerifiedServiceTokens tokens = new VerifiedServiceTokens(clock);
        SecurityIdentity identity = QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal("x")).build();
        for (int i = 0; i < VerifiedServiceTokens.MOST_REMEMBERED; i++) {
            tokens.remember("token-" + i, identity, NOW.plus(Duration.ofMinutes(1)));
        }
        assertTrue(tokens.known("token-0").isPresent());
        tokens.remember("one-more", identity, NOW.plus(Duration.ofMinutes(1)));
        assertTrue(tokens.known("token-0").isEmpty(), "past the bound, what was remembered is forgotten");
        assertTrue(tokens.known("one-more").isPresent());
    }
}
