package dev.scimsync.gateway.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConsoleSessionsTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private final ConsoleSessions sessions = at(NOW, "admin-secret");

    private static ConsoleSessions at(Instant now, String token) {
        return new ConsoleSessions(Optional.ofNullable(token), Duration.ofHours(8), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void onlyTheAdminTokenSignsIn() {
        assertTrue(sessions.signIn("admin-secret").isPresent());
        assertTrue(sessions.signIn(" admin-secret\n").isPresent(), "pasted with whitespace");
        assertFalse(sessions.signIn("admin-secreT").isPresent());
        assertFalse(sessions.signIn(null).isPresent());
        assertFalse(at(NOW, "").signIn("").isPresent(), "no admin token configured: the console is closed");
    }

    @Test
    void theCookieNamesNoTokenAndIsAcceptedUntilItExpires() {
        ConsoleSessions.Session session = sessions.signIn("admin-secret").orElseThrow();
        assertFalse(session.cookie().contains("admin-secret"));
        assertEquals(NOW.plus(Duration.ofHours(8)), session.expires());

        assertEquals(session, sessions.session(session.cookie()).orElseThrow());
        assertTrue(at(NOW.plus(Duration.ofHours(7)), "admin-secret").session(session.cookie()).isPresent());
        assertFalse(at(NOW.plus(Duration.ofHours(8)), "admin-secret").session(session.cookie()).isPresent());
        assertFalse(at(NOW, "rotated-token").session(session.cookie()).isPresent(), "rotating the token ends sessions");
    }

    @Test
    void aForgedOrAlteredCookieIsRefused() {
        String cookie = sessions.signIn("admin-secret").orElseThrow().cookie();
        String[] parts = cookie.split("\\.");
        String longer = (Long.parseLong(parts[0]) + 86_400) + "." + parts[1] + "." + parts[2];
        assertFalse(sessions.session(longer).isPresent(), "expiry cannot be extended");
        assertFalse(sessions.session(parts[0] + ".x." + parts[2]).isPresent());
        assertFalse(sessions.session("garbage").isPresent());
        assertFalse(sessions.session("..").isPresent());
        assertFalse(sessions.session("x.y.z").isPresent());
    }

    @Test
    void eachSessionHasItsOwnCsrfToken() {
        ConsoleSessions.Session one = sessions.signIn("admin-secret").orElseThrow();
        ConsoleSessions.Session two = sessions.signIn("admin-secret").orElseThrow();
        assertNotEquals(one.csrf(), two.csrf());
        assertTrue(ConsoleSessions.csrfMatches(one, one.csrf()));
        assertFalse(ConsoleSessions.csrfMatches(one, two.csrf()));
        assertFalse(ConsoleSessions.csrfMatches(one, null));
    }
}
