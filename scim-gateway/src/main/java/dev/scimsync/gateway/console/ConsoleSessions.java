package dev.scimsync.gateway.console;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Console sign-in: the admin token is exchanged once for a session cookie, so the token never travels again,
 * never lands in a URL and is never kept by the browser. A session is {@code <expiry>.<nonce>.<mac>}, signed
 * with a key derived from the admin token: any gateway replica can check it without shared state, and
 * rotating the admin token ends every session. The CSRF token of a session is a second MAC over its nonce,
 * so forms carry a value an attacker's page cannot know or read.
 */
public final class ConsoleSessions {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Optional<String> adminToken;
    private final byte[] key;
    private final Duration lifetime;
    private final Clock clock;

    /** A signed-in session: its cookie value and the CSRF token its forms carry. */
    public record Session(String cookie, String csrf, Instant expires) {
    }

    public ConsoleSessions(Optional<String> adminToken, Duration lifetime, Clock clock) {
        this.adminToken = adminToken.filter(token -> !token.isBlank());
        this.key = this.adminToken.map(token -> sha256("scimsync-console-session|" + token)).orElse(null);
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** A new session if the presented token is the admin token (compared in constant time). */
    public Optional<Session> signIn(String presentedToken) {
        if (key == null || presentedToken == null || !MessageDigest.isEqual(
                adminToken.get().getBytes(StandardCharsets.UTF_8), presentedToken.strip().getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        byte[] nonce = new byte[18];
        RANDOM.nextBytes(nonce);
        Instant expires = clock.instant().plus(lifetime);
        String unsigned = expires.getEpochSecond() + "." + ENCODER.encodeToString(nonce);
        return session(unsigned + "." + mac("session|" + unsigned));
    }

    /** The session of a cookie value, if it is signed by us and not expired. */
    public Optional<Session> session(String cookie) {
        if (key == null || cookie == null) {
            return Optional.empty();
        }
        int lastDot = cookie.lastIndexOf('.');
        int firstDot = cookie.indexOf('.');
        if (firstDot <= 0 || lastDot <= firstDot) {
            return Optional.empty();
        }
        String unsigned = cookie.substring(0, lastDot);
        if (!MessageDigest.isEqual(mac("session|" + unsigned).getBytes(StandardCharsets.US_ASCII),
                cookie.substring(lastDot + 1).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        Instant expires;
        try {
            expires = Instant.ofEpochSecond(Long.parseLong(cookie.substring(0, firstDot)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(expires)) {
            return Optional.empty();
        }
        return Optional.of(new Session(cookie, mac("csrf|" + unsigned.substring(firstDot + 1)), expires));
    }

    /** Whether a form's CSRF value is the session's. */
    public static boolean csrfMatches(Session session, String presented) {
        return presented != null && MessageDigest.isEqual(session.csrf().getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.US_ASCII));
    }

    public Duration lifetime() {
        return lifetime;
    }

    private String mac(String value) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
            return ENCODER.encodeToString(hmac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
