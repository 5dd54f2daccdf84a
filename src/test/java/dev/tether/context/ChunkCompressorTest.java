package dev.tether.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkCompressorTest {

    /** A message-sized segment of ≈ {@code lines} lines. */
    private static ChunkCompressor.Segment seg(String tag, int lines, boolean user) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            if (i > 0) {
                sb.append('\n');
            }
            sb.append(tag).append(" line ").append(i);
        }
        return new ChunkCompressor.Segment(sb.toString(), user);
    }

    @Test
    void everythingFitsUnchanged() {
        List<ChunkCompressor.Segment> s = List.of(seg("a", 3, false), seg("b", 2, true));
        assertEquals("a line 0\na line 1\na line 2\nb line 0\nb line 1", ChunkCompressor.compress(s, 10_000));
    }

    @Test
    void rankingPrefersRecentThenUserThenErrorsNewestFirst() {
        List<ChunkCompressor.Segment> s = new ArrayList<>();
        s.add(seg("old-plain", 50, false));                                              // 0: class 4
        s.add(new ChunkCompressor.Segment(seg("old-error", 49, false).text() + "\nTraceback here", false)); // 1: class 3
        s.add(seg("user-early", 50, true));                                              // 2: class 2
        s.add(seg("mid-plain", 50, false));                                              // 3: class 4
        s.add(seg("user-late", 50, true));                                               // 4: class 2
        s.add(seg("recent", 100, false));                                                // 5: class 1
        long each = TokenEstimator.estimate(s.get(0).text());
        long recent = TokenEstimator.estimate(s.get(5).text());
        long userLate = TokenEstimator.estimate(s.get(4).text());
        // room for the recent chunk and the newest user chunk only
        String out = ChunkCompressor.compress(s, recent + userLate + each / 2);
        assertTrue(out.contains("recent line 99"));
        assertTrue(out.contains("user-late line 0"));
        assertTrue(!out.contains("user-early") && !out.contains("old-error") && !out.contains("mid-plain"));
        assertTrue(out.startsWith("[… 4 chunks omitted …]\nuser-late line 0"), out.substring(0, 60));

        // a bit more room: the earlier user chunk before the error chunk
        String more = ChunkCompressor.compress(s, recent + userLate + TokenEstimator.estimate(s.get(2).text()) + each / 2);
        assertTrue(more.startsWith("[… 2 chunks omitted …]\nuser-early line 0"), more.substring(0, 60));
        assertTrue(more.contains("user-early line 49\n[… 1 chunks omitted …]\nuser-late line 0"), more.substring(more.indexOf("user-early line 48"), more.indexOf("user-early line 48") + 80));

        // room for one more: the error chunk beats the plain ones
        String errors = ChunkCompressor.compress(s, recent + userLate + TokenEstimator.estimate(s.get(2).text())
                + TokenEstimator.estimate(s.get(1).text()) + 5);
        assertTrue(errors.startsWith("[… 1 chunks omitted …]\nold-error line 0"), errors.substring(0, 60));
        assertTrue(errors.contains("Traceback here\nuser-early line 0"));
    }

    @Test
    void skippedChunksDoNotStopSmallerOnesFromFitting() {
        List<ChunkCompressor.Segment> s = List.of(seg("small", 2, true), seg("big", 300, true), seg("tail", 1, false));
        String out = ChunkCompressor.compress(s, TokenEstimator.estimate(s.get(0).text())
                + TokenEstimator.estimate(s.get(2).text()) + 2);
        assertEquals("small line 0\nsmall line 1\n[… 1 chunks omitted …]\ntail line 0", out);
    }

    @Test
    void hugeChunksSplitAtLinesAndHugeLinesAtBytes() {
        String line = "x".repeat(30_000); // one line of ≈10,715 tokens
        List<ChunkCompressor.Segment> s = List.of(new ChunkCompressor.Segment(line, false));
        String out = ChunkCompressor.compress(s, 4000);
        assertTrue(out.startsWith("[… 2 chunks omitted …]\n"));
        assertTrue(TokenEstimator.estimate(out) <= 4010);
        assertTrue(out.endsWith("x"));
    }
}
