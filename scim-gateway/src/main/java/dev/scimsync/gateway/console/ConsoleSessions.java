package dev.scimsync.gateway.console;

import dev.scimsync.gateway.auth.AdminTokens;
import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Console sign-in: the admin token is exchanged once for a session cookie, so the token never travels again,
 * never lands in a URL and is never kept by the browser. The cookie is a random session id; the session lives
 * here, on the server, so it can be ended: signing out removes it (a copied cookie stops working at once), and a
 * session ends as soon as the admin token it was opened with no longer admits ({@link AdminTokens#stillValid}:
 * the operator's token replaced, or the organization's admin token revoked), checked on every request. Each
 * session has a random CSRF token of its own that its forms carry.
 *
 * <p>Sessions are held in this replica's memory, keyed by a digest of the cookie (a heap dump shows no
 * usable cookie). With more than one gateway replica the console therefore needs session affinity (the
 * browser kept on the replica it signed in on; a cookie is refused elsewhere, and the admin asked to sign in
 * again - never accepted on the strength of another replica's word), and a restart signs every admin out.
 * At most {@link #MAX_SESSIONS} sessions are kept; past that the one closest to expiry is ended. One admin token
 * holds at most {@link #MAX_SESSIONS_PER_ADMIN} of them (its oldest is ended for a new one): otherwise an
 * organization's admin signing in ten thousand times would end every other admin's session, the operator's too.
 */
public final class ConsoleSessions {

    static final int MAX_SESSIONS = 10_000;
    static final int MAX_SESSIONS_PER_ADMIN = 20;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AdminTokens adminTokens;
    private final Duration lifetime;
    private final Clock clock;
    /** By cookie digest, in order of creation - which, with one lifetime for all, is the order of expiry. */
    private final Map<String, Session> sessions = new LinkedHashMap<>();

    /** A signed-in session: its cookie value, the CSRF token its forms carry, and the admin it is. */
    public record Session(String cookie, String csrf, Instant expires, AdminTokens.Admin admin) {
    }

    public ConsoleSessions(AdminTokens adminTokens, Duration lifetime, Clock clock) {
        this.adminTokens = adminTokens;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /**
     * A new session if the presented token is an admin token (pasted whitespace ignored); fails with
     * {@link AdminTokens.CheckUnavailable} when a scoped token could not be checked.
     */
    public Uni<Optional<Session>> signIn(String presentedToken) {
        if (presentedToken == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        return adminTokens.identify(presentedToken.strip()).map(admin -> admin.map(this::open));
    }

    private Session open(AdminTokens.Admin admin) {
        Session session = new Session(random(), random(), clock.instant().plus(lifetime), admin);
        synchronized (sessions) {
            endExpired();
            endOldestBeyond(MAX_SESSIONS_PER_ADMIN - 1, admin);
            if (sessions.size() >= MAX_SESSIONS) {
                Iterator<String> oldest = sessions.keySet().iterator();
                oldest.next();
                oldest.remove();
            }
            sessions.put(digest(session.cookie()), session);
        }
        return session;
    }

    /**
     * The live session of a cookie value: one this replica opened, not ended, not expired, its token still valid
     * (asked each time; fails with {@link AdminTokens.CheckUnavailable} when that could not be asked).
     */
    public Uni<Optional<Session>> session(String cookie) {
        if (cookie == null || cookie.isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        String key = digest(cookie);
        Session session;
        synchronized (sessions) {
            session = sessions.get(key);
            if (session != null && !clock.instant().isBefore(session.expires())) {
                sessions.remove(key);
                session = null;
            }
        }
        if (session == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        Session live = session;
        return adminTokens.stillValid(live.admin()).map(valid -> {
            if (!valid) {
                synchronized (sessions) {
                    sessions.remove(key);
                }
                return Optional.empty();
            }
            return Optional.of(live);
        });
    }

    /** Ends a session: its cookie is refused from now on, wherever it was copied to. */
    public void signOut(Session session) {
        synchronized (sessions) {
            sessions.remove(digest(session.cookie()));
        }
    }

    /** Whether a form's CSRF value is the session's. */
    public static boolean csrfMatches(Session session, String presented) {
        return presented != null && MessageDigest.isEqual(session.csrf().getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.US_ASCII));
    }

    public Duration lifetime() {
        return lifetime;
    }

    int count() {
        synchronized (sessions) {
            return sessions.size();
        }
    }

    /** Called holding the lock: ends the admin's oldest sessions until at most {@code keep} are left. */
    private void endOldestBeyond(int keep, AdminTokens.Admin admin) {
        long held = sessions.values().stream().filter(s -> s.admin().equals(admin)).count();
        for (Iterator<Session> oldestFirst = sessions.values().iterator(); held > keep && oldestFirst.hasNext(); ) {
            if (oldestFirst.next().admin().equals(admin)) {
                oldestFirst.remove();
                held--;
            }
        }
    }

    /** Called holding the lock; sessions expire in map order, so this stops at the first live one. */
    private void endExpired() {
        Instant now = clock.instant();
        Iterator<Session> oldestFirst = sessions.values().iterator();
        while (oldestFirst.hasNext() && !now.isBefore(oldestFirst.next().expires())) {
            oldestFirst.remove();
        }
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return ENCODER.encodeToString(bytes);
    }

    private static String digest(String cookie) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(cookie.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
