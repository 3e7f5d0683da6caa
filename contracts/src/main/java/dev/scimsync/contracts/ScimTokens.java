package dev.scimsync.contracts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SCIM bearer tokens: {@code scim_<12 hex id>_<secret>}. The id finds the stored token; only a salted
 * SHA-256 of the secret is kept. The secrets are 256 random bits, so a fast hash is enough - a slow
 * password KDF protects low-entropy secrets, and would only add latency to every SCIM request here.
 * One copy for both sides: membership-service issues and stores tokens, the gateway verifies them against
 * the {@link ScimCredential}s membership-service publishes.
 */
public final class ScimTokens {

    private static final Pattern FORMAT = Pattern.compile("scim_([0-9a-f]{12})_([A-Za-z0-9_-]{20,})");
    private static final SecureRandom RANDOM = new SecureRandom();

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
        if (token == null) {
            return Optional.empty();
        }
        Matcher matcher = FORMAT.matcher(token.trim());
        return matcher.matches() ? Optional.of(new PresentedToken(matcher.group(1), matcher.group(2))) : Optional.empty();
    }

    /** A freshly generated token: the whole {@code token} is shown once, then only its hash is kept. */
    public record NewToken(String id, String secret) {
        public String token() {
            return "scim_" + id + "_" + secret;
        }

        @Override
        public String toString() {
            return "NewToken[id=" + id + "]";
        }
    }

    public static NewToken generate() {
        byte[] id = new byte[6];
        RANDOM.nextBytes(id);
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return new NewToken(java.util.HexFormat.of().formatHex(id),
                java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    public static byte[] newSalt() {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return salt;
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
