package dev.scimsync.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Java's keys of names lowered as a real PostgreSQL's {@code lower()} lowers them. */
class CaseInsensitiveTest {

    private static TestPostgres postgres;
    private static Pool pool;

    @BeforeAll
    static void start() throws Exception {
        postgres = TestPostgres.start();
        pool = postgres.pool;
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    private static List<String> lowerInPostgres(List<String> texts) {
        List<String> lowered = new ArrayList<>();
        for (Row row : pool.preparedQuery("select lower(t) from unnest($1::text[]) with ordinality u(t, n) order by n")
                .executeAndAwait(Tuple.of(texts.toArray(String[]::new)))) {
            lowered.add(row.getString(0));
        }
        return lowered;
    }

    @Test
    void addressesWhoseCaseJavasContextRulesChangeAreLoweredAsPostgresLowersThem() {
        List<String> addresses = List.of("ΩΣ-12caa3@example.com", "İZ@example.com", "ΣΑΣ@example.com", "Pat.Lee@Example.COM",
                "ÄNNE@example.com", "STRASSE-ẞ@example.com");
        assertEquals(lowerInPostgres(addresses), addresses.stream().map(CaseInsensitive::lower).toList());
        assertEquals(List.of("ſam@example.com"), lowerInPostgres(List.of("ſam@example.com")));
        assertFalse(CaseInsensitive.equal("ſam@example.com", "sam@example.com"), "lower() keeps the long s");
        assertTrue(CaseInsensitive.equal("ΩΣ-12caa3@example.com", "ωσ-12caa3@example.com"));
        // What the keys were before: String.toLowerCase differs from lower() on the first two.
        assertNotEquals(lowerInPostgres(addresses.subList(0, 1)).get(0), addresses.get(0).toLowerCase(Locale.ROOT));
        assertNotEquals(lowerInPostgres(addresses.subList(1, 2)).get(0), addresses.get(1).toLowerCase(Locale.ROOT));
    }

    @Test
    void everyCharacterOfTheBasicPlaneIsLoweredAsPostgresLowersIt() {
        List<String> characters = new ArrayList<>();
        for (int codePoint = 1; codePoint <= 0xFFFF; codePoint++) {
            if (!Character.isSurrogate((char) codePoint) && Character.isDefined(codePoint)) {
                characters.add(Character.toString(codePoint));
            }
        }
        List<String> postgres = lowerInPostgres(characters);
        List<String> differing = new ArrayList<>();
        for (int i = 0; i < characters.size(); i++) {
            if (!postgres.get(i).equals(CaseInsensitive.lower(characters.get(i)))) {
                differing.add(String.format("U+%04X", characters.get(i).codePointAt(0)));
            }
        }
        assertEquals(List.of(), differing);
    }
}
