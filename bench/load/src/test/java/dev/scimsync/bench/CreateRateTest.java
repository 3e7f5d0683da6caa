package dev.scimsync.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CreateRateTest {

    private static final long SECOND = 1_000_000_000L;

    /** A stack warming up: 10/s for 20 s, then 40/s for 40 s, then 5 s of a last window. */
    private static CreateRate warmingUp(long start) {
        CreateRate rate = new CreateRate(10, start);
        for (int second = 0; second < 65; second++) {
            int perSecond = second < 20 ? 10 : 40;
            for (int i = 0; i < perSecond; i++) {
                rate.created(start + second * SECOND + i * (SECOND / perSecond));
            }
        }
        return rate;
    }

    @Test
    void eachWindowIsCountedByWhenItsCreatesArrivedAndTheLastOverItsOwnLength() {
        CreateRate rate = warmingUp(5 * SECOND);

        double[] perSecond = rate.perSecond();
        assertEquals(7, perSecond.length);
        assertArrayEquals(new double[] {10, 10, 40, 40, 40, 40}, Arrays.copyOf(perSecond, 6), 0.01);
        // The last window: 200 creates between 60 s and the last one at ~64.98 s.
        assertEquals(200 / 4.975, perSecond[6], 0.5);
        assertEquals("10, 10, 40, 40, 40, 40, 40 (the last over 5.0 s)", rate.row());
    }

    @Test
    void theFirstMinuteIsSetAgainstTheFastestFullMinute() {
        CreateRate rate = warmingUp(0);

        CreateRate.WarmUp minutes = rate.warmUp(6);

        assertEquals((200 + 1600) / 60.0, minutes.first(), 0.01);
        // Only six full windows (the seventh is partial): the fastest minute is the first one.
        assertEquals((200 + 1600) / 60.0, minutes.fastest(), 0.01);
        CreateRate.WarmUp halfMinutes = rate.warmUp(3);
        assertEquals((100 + 100 + 400) / 30.0, halfMinutes.first(), 0.01);
        assertEquals(40, halfMinutes.fastest(), 0.01);
    }

    @Test
    void aPhaseShorterThanTheWindowsHasNoFastestAndItsOwnLengthAsTheFirst() {
        CreateRate rate = new CreateRate(30, 0);
        for (int i = 0; i < 100; i++) {
            rate.created(i * (SECOND / 10));
        }

        CreateRate.WarmUp warmUp = rate.warmUp(2);

        assertEquals(100 / 9.9, warmUp.first(), 0.01);
        assertTrue(Double.isNaN(warmUp.fastest()));
    }
}
