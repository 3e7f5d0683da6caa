package dev.scimsync.contracts;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shape every bearer token of this platform shares, whatever it opens ({@link ScimTokens},
 * {@link ScopedAdminTokens}): {@code <prefix>_<12 hex id>_<secret>}, the id public (it finds the stored token and
 * names it in logs), the secret 256 random bits in base64url, of which only a digest is kept.
 */
final class BearerTokenFormat {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A token's two halves. */
    record Halves(String id, String secret) {
    }

    private final String prefix;
    private final Pattern format;

    BearerTokenFormat(String prefix) {
        this.prefix = prefix;
        this.format = Pattern.compile(Pattern.quote(prefix) + "_([0-9a-f]{12})_([A-Za-z0-9_-]{20,})");
    }

    Optional<Halves> parse(String token) {
        if (token == null) {
            return Optional.empty();
        }
        Matcher matcher = format.matcher(token.trim());
        return matcher.matches() ? Optional.of(new Halves(matcher.group(1), matcher.group(2))) : Optional.empty();
    }

    Halves generate() {
        byte[] id = new byte[6];
        RANDOM.nextBytes(id);
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return new Halves(HexFormat.of().formatHex(id), Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    String token(String id, String secret) {
        return prefix + "_" + id + "_" + secret;
    }

    /** A new token of this format. */
    NewToken generateToken() {
        Halves halves = generate();
        return new NewToken(halves.id(), halves.secret(), token(halves.id(), halves.secret()));
    }

    static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
