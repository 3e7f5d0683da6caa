package dev.scimsync.gateway.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.gateway.auth.AdminScope;
import dev.scimsync.gateway.auth.AdminTokens;
import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ConsoleSessionsTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        Instant now = NOW;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** The operator token, and whether it still admits (false: it was replaced). */
    private final AtomicBoolean operatorTokenValid = new AtomicBoolean(true);
    private final AdminTokens adminTokens = new AdminTokens(Optional.of("admin-secret"), null) {
        @Override
        public Uni<Boolean> stillValid(Admin admin) {
            return super.stillValid(admin).map(valid -> valid && operatorTokenValid.get());
        }
    };
    private final TestClock clock = new TestClock();
    private final ConsoleSessions sessions = new ConsoleSessions(adminTokens, Duration.ofHours(8), clock);

    @Test
    void onlyTheAdminTokenSignsIn() {
        assertTrue(sessions.signIn("admin-secret").await().indefinitely().isPresent());
        assertTrue(sessions.signIn(" admin-secret\n").await().indefinitely().isPresent(), "pasted with whitespace");
        assertFalse(sessions.signIn("admin-secreT").await().indefinitely().isPresent());
        assertFalse(sessions.signIn(null).await().indefinitely().isPresent());
        ConsoleSessions closed = new ConsoleSessions(new AdminTokens(Optional.of(""), null), Duration.ofHours(8),
                clock);
        assertFalse(closed.signIn("").await().indefinitely().isPresent(),
                "no admin token configured: the console is closed");
    }

    @Test
    void theCookieNamesNoTokenAndIsAcceptedUntilItExpires() {
        ConsoleSessions.Session session = sessions.signIn("admin-secret").await().indefinitely().orElseThrow();
        assertFalse(session.cookie().contains("admin-secret"));
        assertEquals(NOW.plus(Duration.ofHours(8)), session.expires());
        assertEquals(AdminTokens.OPERATOR, session.admin().name());

        assertEquals(session, sessions.session(session.cookie()).await().indefinitely().orElseThrow());
        clock.now = NOW.plus(Duration.ofHours(7));
        assertTrue(sessions.session(session.cookie()).await().indefinitely().isPresent());
        clock.now = NOW.plus(Duration.ofHours(8));
        assertFalse(sessions.session(session.cookie()).await().indefinitely().isPresent());
    }

    @Test
    void signingOutEndsTheSessionForEveryCopyOfTheCookie() {
        ConsoleSessions.Session session = sessions.signIn("admin-secret").await().indefinitely().orElseThrow();
        ConsoleSessions.Session other = sessions.signIn("admin-secret").await().indefinitely().orElseThrow();

        sessions.signOut(sessions.session(session.cookie()).await().indefinitely().orElseThrow());

        assertFalse(sessions.session(session.cookie()).await().indefinitely().isPresent());
        assertTrue(sessions.session(other.cookie()).await().indefinitely().isPresent(), "other sessions go on");
    }

    @Test
    void aSessionEndsWhenTheTokenItWasOpenedWithNoLongerAdmits() {
        ConsoleSessions.Session session = sessions.signIn("admin-secret").await().indefinitely().orElseThrow();
        operatorTokenValid.set(false);
        assertFalse(sessions.session(session.cookie()).await().indefinitely().isPresent());
        operatorTokenValid.set(true);
        assertFalse(sessions.session(session.cookie()).await().indefinitely().isPresent(),
                "ended for good, not suspended");
    }

    @Test
    void aCookieThisServerDidNotIssueIsRefused() {
        String cookie = sessions.signIn("admin-secret").await().indefinitely().orElseThrow().cookie();
        assertFalse(sessions.session(cookie + "x").await().indefinitely().isPresent());
        assertFalse(sessions.session("garbage").await().indefinitely().isPresent());
        assertFalse(sessions.session("").await().indefinitely().isPresent());
        assertFalse(sessions.session(null).await().indefinitely().isPresent());
        ConsoleSessions anotherReplica = new ConsoleSessions(adminTokens, Duration.ofHours(8), clock);
        assertFalse(anotherReplica.session(cookie).await().indefinitely().isPresent(),
                "sessions live where they were opened");
    }

    /** Sessions where every presented token is an admin of its own, and stays valid. */
    private ConsoleSessions everyTokenAnAdmin() {
        return new ConsoleSessions(new AdminTokens(Optional.of("admin-secret"), null) {
            @Override
            public Uni<Optional<Admin>> identify(String presented) {
                return Uni.createFrom().item(Optional.of(new Admin(presented, AdminScope.OPERATOR, presented,
                        presented)));
            }

            @Override
            public Uni<Boolean> stillValid(Admin admin) {
                return Uni.createFrom().item(true);
            }
        }, Duration.ofHours(8), clock);
    }

    @Test
    void theStoreIsBoundedByEndingTheOldestSessions() {
        // Every token a different admin: the store's own bound, not one admin's.
        ConsoleSessions many = everyTokenAnAdmin();
        String first = many.signIn("admin-0").await().indefinitely().orElseThrow().cookie();
        for (int i = 1; i < ConsoleSessions.MAX_SESSIONS; i++) {
            many.signIn("admin-" + i).await().indefinitely();
        }
        assertEquals(ConsoleSessions.MAX_SESSIONS, many.count());
        String newest = many.signIn("admin-new").await().indefinitely().orElseThrow().cookie();
        assertEquals(ConsoleSessions.MAX_SESSIONS, many.count());
        assertTrue(many.session(newest).await().indefinitely().isPresent());
        assertFalse(many.session(first).await().indefinitely().isPresent(), "the oldest was ended");
    }

    /** One admin signing in again and again ends their own oldest sessions, nobody else's. */
    @Test
    void oneAdminHoldsABoundedNumberOfSessions() {
        ConsoleSessions.Session other = sessions.signIn("admin-secret").await().indefinitely().orElseThrow();
        ConsoleSessions flooded = everyTokenAnAdmin();
        String bystander = flooded.signIn("operator").await().indefinitely().orElseThrow().cookie();
        String firstOfMany = flooded.signIn("tenant-a").await().indefinitely().orElseThrow().cookie();
        for (int i = 1; i < 3 * ConsoleSessions.MAX_SESSIONS_PER_ADMIN; i++) {
            flooded.signIn("tenant-a").await().indefinitely();
        }
        assertEquals(ConsoleSessions.MAX_SESSIONS_PER_ADMIN + 1, flooded.count());
        assertTrue(flooded.session(bystander).await().indefinitely().isPresent(), "another admin's session stays");
        assertFalse(flooded.session(firstOfMany).await().indefinitely().isPresent(), "their own oldest is ended");
        assertTrue(sessions.session(other.cookie()).await().indefinitely().isPresent());
    }

    @Test
    void eachSessionHasItsOwnCsrfToken() {
        ConsoleSessions.Session one = sessions.signIn("admin-secret").await().indefinitely().orElseThrow();
        ConsoleSessions.Session two = sessions.signIn("admin-secret").await().indefinitely().orElseThrow();
        assertNotEquals(one.csrf(), two.csrf());
        assertTrue(ConsoleSessions.csrfMatches(one, one.csrf()));
        assertFalse(ConsoleSessions.csrfMatches(one, two.csrf()));
        assertFalse(ConsoleSessions.csrfMatches(one, null));
    }
}
