package dev.tether.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Titles are bounded: a client's over-long title is a 400, an imported one is cut. */
class TitleLimitTest {

    @Test
    void clientTitlesOverTheLimitAreRejected() {
        String max = "é".repeat(Titles.MAX_SET_CHARS);
        assertSame(max, Titles.requireWithinLimit(max));
        assertEquals(null, Titles.requireWithinLimit(null));
        assertThrows(InvalidRequestException.class, () -> Titles.requireWithinLimit(max + "x"));
        // counted in characters, not UTF-16 units: 1,024 emoji are within the limit
        String emoji = "\uD83D\uDE00".repeat(Titles.MAX_SET_CHARS);
        assertSame(emoji, Titles.requireWithinLimit(emoji));
    }

    @Test
    void setTitleCutsToTheLimit() {
        String cut = Titles.settable("t".repeat(9_500_000));
        assertEquals(Titles.MAX_SET_CHARS, cut.length());
        String emoji = Titles.settable("\uD83D\uDE00".repeat(Titles.MAX_SET_CHARS + 5));
        assertEquals(Titles.MAX_SET_CHARS, emoji.codePointCount(0, emoji.length()));
        assertEquals("short title", Titles.settable(" short   title "));
    }
}
