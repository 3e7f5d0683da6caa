package dev.scimsync.gateway.scim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.contracts.query.Criterion;
import dev.scimsync.contracts.query.Field;
import dev.scimsync.contracts.query.Keyset;
import dev.scimsync.contracts.query.ResourceQuery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Cursors say where a page starts, only to the connection, resource type and filter they were issued for. */
class PageCursorsTest {

    private static final byte[] KEY = "a key of thirty-two bytes, no less".getBytes(StandardCharsets.UTF_8);
    private static final Duration TIMEOUT = Duration.ofHours(1);
    private static final Instant NOW = Instant.parse("2026-01-05T10:00:00Z");
    private static final String CONNECTION = "5b0c3c2e-8f5e-4c55-9d55-2f1f3f0d6a11";
    private static final Criterion ACTIVE = new Criterion.Compare(
            Field.column(Field.Source.ACTIVE, Field.ValueType.BOOLEAN, false), Criterion.Operator.EQ, true);
    private static final ResourceQuery FIRST_PAGE = new ResourceQuery(ACTIVE, null, false, 1, 100, null);
    private static final Keyset LAST_SHOWN = new Keyset(Instant.parse("2026-01-05T09:59:58.123456Z"),
            UUID.fromString("f0fc7392-3209-41d2-9f6a-779c6ddb6b9a"));

    private final PageCursors cursors = at(NOW);

    private static PageCursors at(Instant now) {
        return new PageCursors(KEY, TIMEOUT, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aCursorLeadsToTheKeyOfTheLastResourceShownWithTheCountAskedForNow() {
        String cursor = cursors.next(CONNECTION, "User", FIRST_PAGE, LAST_SHOWN);
        ResourceQuery askingFifty = new ResourceQuery(ACTIVE, null, false, 1, 50, null);

        ResourceQuery next = cursors.position(cursor, CONNECTION, "User", askingFifty);

        assertEquals(new ResourceQuery(ACTIVE, null, false, 1, 50, LAST_SHOWN), next);
    }

    @Test
    void anEmptyCursorIsTheFirstPageAndACursorOfTheStartLeadsThere() {
        assertSame(FIRST_PAGE, cursors.position("", CONNECTION, "User", FIRST_PAGE));
        String start = cursors.next(CONNECTION, "User", FIRST_PAGE, null);
        assertNull(cursors.position(start, CONNECTION, "User", FIRST_PAGE).after());
    }

    @Test
    void aCursorHoldsOnlyUnreservedCharactersAndIsOpaque() {
        String cursor = cursors.next(CONNECTION, "User", FIRST_PAGE, LAST_SHOWN);

        assertTrue(cursor.matches("[A-Za-z0-9._~-]+"), cursor);
        assertFalse(cursor.contains(CONNECTION), "the connection is bound by the MAC, not carried");
    }

    static Stream<String> forgeries() {
        String cursor = at(NOW).next(CONNECTION, "User", FIRST_PAGE, LAST_SHOWN);
        int dot = cursor.indexOf('.');
        String payload = new String(Base64.getUrlDecoder().decode(cursor.substring(0, dot)), StandardCharsets.UTF_8);
        String movedBack = Base64.getUrlEncoder().withoutPadding().encodeToString(
                payload.replace("f0fc7392", "00000000").getBytes(StandardCharsets.UTF_8));
        String otherKey = new PageCursors("another key, as another deployment has".getBytes(StandardCharsets.UTF_8),
                TIMEOUT, Clock.fixed(NOW, ZoneOffset.UTC)).next(CONNECTION, "User", FIRST_PAGE, LAST_SHOWN);
        return Stream.of(
                movedBack + cursor.substring(dot),
                cursor.substring(0, cursor.length() - 2) + (cursor.endsWith("A") ? "BB" : "AA"),
                cursor.substring(0, dot),
                cursor.substring(0, dot + 5),
                "." + cursor.substring(dot + 1),
                otherKey,
                "VZUTiyhEQJ94IR",
                "not*base64.at+all",
                "x".repeat(100_000) + cursor);
    }

    @ParameterizedTest
    @MethodSource("forgeries")
    void anAlteredTruncatedOrMadeUpCursorIsInvalid(String forged) {
        ScimException refused = assertThrows(ScimException.class,
                () -> cursors.position(forged, CONNECTION, "User", FIRST_PAGE));

        assertEquals(400, refused.status());
        assertEquals("invalidCursor", refused.scimType());
    }

    @Test
    void aCursorIsInvalidForAnotherConnectionResourceTypeOrFilter() {
        String cursor = cursors.next(CONNECTION, "User", FIRST_PAGE, LAST_SHOWN);
        ResourceQuery allUsers = new ResourceQuery(null, null, false, 1, 100, null);

        for (Runnable misuse : List.<Runnable>of(
                () -> cursors.position(cursor, "0c6d0f4e-1a2b-4c3d-8e9f-a0b1c2d3e4f5", "User", FIRST_PAGE),
                () -> cursors.position(cursor, CONNECTION, "Group", FIRST_PAGE),
                () -> cursors.position(cursor, CONNECTION, "User", allUsers))) {
            assertEquals("invalidCursor", assertThrows(ScimException.class, misuse::run).scimType());
        }
    }

    @Test
    void aCursorExpiresAfterTheTimeoutFromItsIssue() {
        String cursor = cursors.next(CONNECTION, "User", FIRST_PAGE, LAST_SHOWN);

        assertEquals(LAST_SHOWN, at(NOW.plus(TIMEOUT)).position(cursor, CONNECTION, "User", FIRST_PAGE).after());
        ScimException expired = assertThrows(ScimException.class,
                () -> at(NOW.plus(TIMEOUT).plusSeconds(1)).position(cursor, CONNECTION, "User", FIRST_PAGE));
        assertEquals(400, expired.status());
        assertEquals("expiredCursor", expired.scimType());
    }

    @Test
    void theKeyIsDerivedFromTheServiceKeySoEveryInstanceSharesIt(@TempDir Path dir) throws IOException {
        Path key = Files.writeString(dir.resolve("scim-gateway.jwk.json"),
                "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"scim-gateway\",\"d\":\"" + Base64.getUrlEncoder()
                        .withoutPadding().encodeToString(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}) + "\"}");
        Path other = Files.writeString(dir.resolve("other.jwk.json"), "{\"kty\":\"EC\",\"d\":\"AQID\"}");

        assertArrayEquals(PageCursors.derivedKey(key.toString()), PageCursors.derivedKey("file:" + key));
        assertFalse(java.util.Arrays.equals(PageCursors.derivedKey(key.toString()),
                PageCursors.derivedKey(other.toString())));
        assertEquals(32, PageCursors.derivedKey(key.toString()).length);
    }
}
