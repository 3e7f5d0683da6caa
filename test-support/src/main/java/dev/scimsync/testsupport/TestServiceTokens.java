package dev.scimsync.testsupport;

import dev.scimsync.stack.ServiceKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * Service keys and tokens in tests: the calling services' keys are made once per module in
 * {@code target/test-service-keys} (as the local stack makes them), every service under test verifies with their
 * JWKS and signs with its own key, and a test calls an internal API as a service with
 * {@code header("Authorization", TestServiceTokens.authorization("scim-gateway", "membership-service"))}.
 */
public final class TestServiceTokens {

    /** Relative to the module, so the test JVM, its test resources and Quarkus all find the same keys. */
    public static final Path KEYS = Path.of("target", "test-service-keys");

    private TestServiceTokens() {
    }

    static synchronized void createKeys() throws IOException {
        ServiceKeys.createMissing(KEYS, ServiceKeys.CALLERS);
    }

    /** The service under test verifies with the callers' JWKS and signs with the key its name names. */
    static Map<String, String> config() {
        return Map.of(
                "mp.jwt.verify.publickey.location", ServiceKeys.jwks(KEYS).toAbsolutePath().toString(),
                "smallrye.jwt.sign.key.location",
                KEYS.toAbsolutePath().resolve("${quarkus.application.name}.jwk.json").toString());
    }

    /** A valid {@code Authorization} value for {@code caller} calling {@code audience}. */
    public static String authorization(String caller, String audience) {
        return "Bearer " + token(key(caller), caller, audience, Instant.now().plusSeconds(60));
    }

    /**
     * The service that signed an {@code Authorization} value for {@code audience}, verified against the callers'
     * JWKS as the real services verify it; empty when it does not verify. For the fakes that play a called service.
     */
    public static Optional<String> verifiedCaller(String authorization, String audience) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return Optional.empty();
        }
        try {
            JsonWebKeySet jwks = new JsonWebKeySet(Files.readString(ServiceKeys.jwks(KEYS)));
            JwtClaims claims = new JwtConsumerBuilder()
                    .setVerificationKeyResolver(new JwksVerificationKeyResolver(jwks.getJsonWebKeys()))
                    .setExpectedAudience(audience).setRequireExpirationTime().setRequireSubject()
                    .build().processToClaims(authorization.substring("Bearer ".length()));
            return Optional.of(claims.getSubject());
        } catch (InvalidJwtException | MalformedClaimException | JoseException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code caller}'s key, as the JWKS the services verify with has its public half. */
    public static EllipticCurveJsonWebKey key(String caller) {
        try {
            return (EllipticCurveJsonWebKey) JsonWebKey.Factory.newJwk(Files.readString(ServiceKeys.privateKey(KEYS, caller)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A token as callers make them (issued a minute before it expires), signed by {@code key} under its kid,
     * with {@code issuer} as issuer and subject - any of them wrong on purpose in the refusal tests.
     */
    public static String token(EllipticCurveJsonWebKey key, String issuer, String audience, Instant expiresAt) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setSubject(issuer);
        claims.setAudience(audience);
        claims.setIssuedAt(NumericDate.fromSeconds(expiresAt.minus(Duration.ofSeconds(60)).getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(expiresAt.getEpochSecond()));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
