package dev.scimsync.contracts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;

/**
 * Admin tokens scoped to one organization: {@code orgadm_<12 hex id>_<secret>}, beside the operator's token
 * (which manages everything). The id is public (it names the admin in audit records and logs); the secret is 256
 * random bits, and only its SHA-256 is kept - a fast hash is enough for a secret nobody can guess, as for SCIM
 * tokens ({@link ScimTokens}). membership-service issues and stores them; the gateway checks a presented one by
 * sending its id and the digest of its secret ({@link Check}), so the secret itself never leaves the gateway.
 */
public final class ScopedAdminTokens {

    private static final BearerTokenFormat FORMAT = new BearerTokenFormat("orgadm");

    private ScopedAdminTokens() {
    }

    /** The two halves of a presented token. */
    public record PresentedToken(String id, String secret) {
        /** What the gateway sends to have this token checked. */
        public Check check() {
            return new Check(id, digest(secret));
        }

        @Override
        public String toString() {
            return "PresentedToken[id=" + id + "]";
        }
    }

    /**
     * The gateway's question to membership-service ({@code POST /internal/v1/admin-tokens/verify}): is the token
     * with this id live, and is this the digest of its secret ({@link #digest}, base64url)?
     */
    public record Check(String tokenId, String secretDigest) {
        @Override
        public String toString() {
            return "Check[tokenId=" + tokenId + "]";
        }
    }

    /** membership-service's answer to a {@link Check} that matched: whose the token is. */
    public record Verified(String tokenId, String organization) {
    }

    public static Optional<PresentedToken> parse(String token) {
        return FORMAT.parse(token).map(halves -> new PresentedToken(halves.id(), halves.secret()));
    }

    /** A freshly generated token: the whole {@code token} is shown once, then only the digest of its secret is kept. */
    public static NewToken generate() {
        return FORMAT.generateToken();
    }

    /** SHA-256 of the secret, base64url without padding: what is stored, and what the gateway sends. */
    public static String digest(String secret) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digestBytes(secret));
    }

    public static byte[] digestBytes(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * Whether a sent digest is the stored one, compared in constant time so that answer timing does not tell how
     * much of a guess was right; a digest that is not base64url never matches.
     */
    public static boolean matches(String sentDigest, byte[] storedDigest) {
        byte[] sent;
        try {
            sent = Base64.getUrlDecoder().decode(sentDigest == null ? "" : sentDigest);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(sent, storedDigest);
    }
}
