package dev.tether.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class BoundedLineReaderTest {

    @Test
    void splitsOnNewlinesStripsCarriageReturnAndKeepsALastLineWithoutNewline() throws IOException {
        BoundedLineReader r = new BoundedLineReader(new StringReader("a\r\n\nbc\nlast"), 100);
        assertEquals("a", r.next());
        assertEquals("", r.next());
        assertEquals("bc", r.next());
        assertEquals("last", r.next());
        assertNull(r.next());
        assertNull(r.next());
    }

    @Test
    void discardsLinesOverTheLimitAcrossBufferBoundaries() throws IOException {
        String big = "y".repeat(300_000);
        String ok = "z".repeat(100_000);
        BoundedLineReader r = new BoundedLineReader(new StringReader(big + "\n" + ok + "\n" + big), 150_000);
        assertEquals("", r.next());
        assertTrue(r.lastWasTooLong());
        assertEquals(ok, r.next());
        assertFalse(r.lastWasTooLong());
        assertEquals("", r.next());
        assertTrue(r.lastWasTooLong());
        assertNull(r.next());
    }
}
