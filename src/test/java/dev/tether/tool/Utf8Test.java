package dev.tether.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {

    @Test
    void cutsNeverSplitACharacterIncludingSurrogatePairs() {
        String s = "a😀b"; // 1 + 4 + 1 bytes
        assertEquals("a", Utf8.prefix(s, 1));
        assertEquals("a", Utf8.prefix(s, 4));
        assertEquals("a😀", Utf8.prefix(s, 5));
        assertEquals(s, Utf8.prefix(s, 6));
        assertEquals("", Utf8.prefix(s, 0));
        assertEquals("b", Utf8.suffix(s, 1));
        assertEquals("b", Utf8.suffix(s, 4));
        assertEquals("😀b", Utf8.suffix(s, 5));
        assertEquals(s, Utf8.suffix(s, 6));
        assertEquals("", Utf8.suffix(s, 0));
        assertEquals(6, Utf8.bytes(s));
        String mixed = "aé€😀".repeat(3);
        for (int n = 0; n < 12; n++) {
            String head = Utf8.prefix(mixed, n);
            String tail = Utf8.suffix(mixed, n);
            assertTrue(head.getBytes(StandardCharsets.UTF_8).length <= n && mixed.startsWith(head), head);
            assertTrue(tail.getBytes(StandardCharsets.UTF_8).length <= n && mixed.endsWith(tail), tail);
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
