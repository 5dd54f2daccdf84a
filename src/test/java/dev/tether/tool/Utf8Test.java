package dev.tether.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {

    @Test
    void cutNeverSplitsACharacterIncludingSurrogatePairs() {
        String s = "a😀b"; // 1 + 4 + 1 bytes
        assertEquals("a", Utf8.prefix(s, 1));
        assertEquals("a", Utf8.prefix(s, 4));
        assertEquals("a😀", Utf8.prefix(s, 5));
        assertEquals(s, Utf8.prefix(s, 6));
        assertEquals("", Utf8.prefix(s, 0));
        assertEquals(6, Utf8.bytes(s));
        for (int n = 0; n < 12; n++) {
            String mixed = "aé€😀".repeat(3);
            String cut = Utf8.prefix(mixed, n);
            assertTrue(cut.getBytes(StandardCharsets.UTF_8).length <= n);
            assertTrue(mixed.startsWith(cut));
        }
    }

    @Test
    void suffixNeverSplitsACharacter() {
        String s = "a😀b"; // 1 + 4 + 1 bytes
        assertEquals("b", Utf8.suffix(s, 1));
        assertEquals("b", Utf8.suffix(s, 4));
        assertEquals("😀b", Utf8.suffix(s, 5));
        assertEquals(s, Utf8.suffix(s, 6));
        assertEquals("", Utf8.suffix(s, 0));
        for (int n = 0; n < 12; n++) {
            String mixed = "aé€😀".repeat(3);
            String cut = Utf8.suffix(mixed, n);
            assertTrue(cut.getBytes(StandardCharsets.UTF_8).length <= n);
            assertTrue(mixed.endsWith(cut));
        }
    }

    @Test
    void sizesAreWhatTheEncoderWritesAlsoForLoneSurrogates() {
        for (String s : new String[] {"", "plain", "é€😀", "lone \uD83D high", "lone \uDE00 low", "end \uD83D"}) {
            assertEquals(s.getBytes(StandardCharsets.UTF_8).length, Utf8.bytes(s), s);
        }
        assertEquals(0, Utf8.bytes(null));
    }
}
