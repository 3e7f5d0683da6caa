package dev.scimsync.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LikePatternsTest {

    @Test
    void wildcardsAndTheEscapeCharacterAreMatchedAsWritten() {
        assertEquals("50\\%\\_off\\\\", LikePatterns.literal("50%_off\\"));
        assertEquals("plain!", LikePatterns.literal("plain!"));
        assertEquals(" escape '\\'", LikePatterns.ESCAPE);
    }
}
