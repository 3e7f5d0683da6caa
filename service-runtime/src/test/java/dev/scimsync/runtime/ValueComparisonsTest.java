package dev.scimsync.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ValueComparisonsTest {

    @Test
    void nullAsksForAbsenceWithEqAndPresenceWithNe() {
        assertEquals("not (x is not null)", ValueComparisons.withNull(true, "x is not null"));
        assertEquals("x is not null", ValueComparisons.withNull(false, "x is not null"));
    }

    @Test
    void anIdIsComparedAsTheKeyInAnyCaseAndAValueThatIsNoIdNamesNothing() {
        UUID id = UUID.randomUUID();
        List<Object> parameters = new ArrayList<>();
        assertEquals("g.id = $1", ValueComparisons.byKey("g.id", true, id.toString().toUpperCase(), uuid -> {
            parameters.add(uuid);
            return "$" + parameters.size();
        }));
        assertEquals(List.of(id), parameters);
        assertEquals("false", ValueComparisons.byKey("g.id", true, "ada", uuid -> "$9"));
        assertEquals("true", ValueComparisons.byKey("g.id", false, "ada", uuid -> "$9"));
        assertEquals("a.id <> $2", ValueComparisons.byKey("a.id", false, id, uuid -> "$2"));
    }
}
