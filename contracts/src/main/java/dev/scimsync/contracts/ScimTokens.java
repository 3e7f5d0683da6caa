package dev.scimsync.contracts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * SCIM bearer tokens: {@code scim_<12 hex id>_<secret>}. The id finds the stored token; only a salted
 * SHA-256 of the secret is kept. The secrets are 256 random bits, so a fast hash is enough - a slow
 * password KDF protects low-entropy secrets, and would only add latency to every SCIM request here.
 * One copy for both sides: membership-service issues and stores tokens, the gateway verifies them against
 * the {@link ScimCredential}s membership-service publishes.
 */
public final class ScimTokens {

    private static final BearerTokenFormat FORMAT = new BearerTokenFormat("scim");

    private ScimTokens() {
    }

    /** The two halves of a presented token. */
    public record PresentedToken(String id, String secret) {
        @Override
        public String toString() {
            return "PresentedToken[id=" + id + "]";
        }
    }

    public static Optional<PresentedToken> parse(String token) {
        return FORMAT.parse(token).map(halves -> new PresentedToken(halves.id(), halves.secret()));
    }

    /** A freshly generated token: the whole {@code token} is shown once, then only its salted hash is kept. */
    public static NewToken generate() {
        return FORMAT.generateToken();
    }

    public static byte[] newSalt() {
        return BearerTokenFormat.randomBytes(16);
    }

    public static byte[] hash(byte[] salt, String secret) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(salt);
            sha256.update(secret.getBytes(StandardCharsets.UTF_8));
            return sha256.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Constant-time comparison, so response timing does not leak how much of a guess was right. */
    public static boolean matches(String secret, byte[] salt, byte[] expectedHash) {
        return MessageDigest.isEqual(hash(salt, secret), expectedHash);
    }
}
