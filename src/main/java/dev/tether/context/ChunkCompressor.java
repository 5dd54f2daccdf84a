package dev.tether.context;

import dev.tether.tool.Utf8;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Deterministic chunk compression (spec §6.7): split at message boundaries, rank the chunks, take them while they
 * fit the target, and emit the taken ones in original order with a gap marker at every gap.
 */
public final class ChunkCompressor {

    /** Largest chunk before it is split at line (then byte) boundaries. */
    static final long MAX_CHUNK_TOKENS = 4000;
    /** Chunks touching the last this-many lines rank first. */
    static final int RECENT_LINES = 100;
    // k is at least 2.8, so this many bytes never estimate above MAX_CHUNK_TOKENS
    private static final long MAX_PIECE_BYTES = (long) (MAX_CHUNK_TOKENS * 2.8);
    private static final Pattern ERRORISH = Pattern.compile("error|exception|failed|traceback|panic");

    /** One message's text; {@code user} marks text written by the user. */
    public record Segment(String text, boolean user) {
    }

    private record Chunk(int index, String text, boolean user, int firstLine, int lastLine, long tokens) {
    }

    private ChunkCompressor() {
    }

    /** Compresses one text (one segment) to at most about {@code targetTokens}. */
    public static String compress(String text, long targetTokens) {
        return compress(List.of(new Segment(text, false)), targetTokens);
    }

    /** Compresses segments (one per message) to at most about {@code targetTokens}, plus gap markers. */
    public static String compress(List<Segment> segments, long targetTokens) {
        List<Chunk> chunks = split(segments);
        if (chunks.isEmpty()) {
            return "";
        }
        int totalLines = chunks.get(chunks.size() - 1).lastLine() + 1;
        List<Chunk> ranked = new ArrayList<>(chunks);
        ranked.sort(Comparator.comparingInt((Chunk c) -> rank(c, totalLines))
                .thenComparing(Comparator.comparingInt(Chunk::index).reversed()));
        boolean[] taken = new boolean[chunks.size()];
        long remaining = targetTokens;
        for (Chunk c : ranked) {
            if (c.tokens() <= remaining) {
                taken[c.index()] = true;
                remaining -= c.tokens();
            }
        }
        StringBuilder sb = new StringBuilder();
        int gap = 0;
        for (Chunk c : chunks) {
            if (!taken[c.index()]) {
                gap++;
                continue;
            }
            if (gap > 0) {
                appendLine(sb, "[… " + gap + " chunks omitted …]");
                gap = 0;
            }
            appendLine(sb, c.text());
        }
        if (gap > 0) {
            appendLine(sb, "[… " + gap + " chunks omitted …]");
        }
        return sb.toString();
    }

    private static void appendLine(StringBuilder sb, String s) {
        if (sb.length() > 0) {
            sb.append('\n');
        }
        sb.append(s);
    }

    private static int rank(Chunk c, int totalLines) {
        if (c.lastLine() >= totalLines - RECENT_LINES) {
            return 1;
        }
        if (c.user()) {
            return 2;
        }
        if (ERRORISH.matcher(c.text().toLowerCase(Locale.ROOT)).find()) {
            return 3;
        }
        return 4;
    }

    private static List<Chunk> split(List<Segment> segments) {
        List<Chunk> chunks = new ArrayList<>();
        int line = 0;
        for (Segment seg : segments) {
            String text = seg.text() == null ? "" : seg.text();
            if (TokenEstimator.estimate(text) <= MAX_CHUNK_TOKENS) {
                int lines = countLines(text);
                chunks.add(new Chunk(chunks.size(), text, seg.user(), line, line + lines - 1,
                        TokenEstimator.estimate(text)));
                line += lines;
                continue;
            }
            StringBuilder current = new StringBuilder();
            long currentBytes = 0;
            int currentFirst = line;
            for (String l : text.split("\n", -1)) {
                if (TokenEstimator.estimate(l) > MAX_CHUNK_TOKENS) {
                    if (current.length() > 0) {
                        chunks.add(chunk(chunks.size(), current.toString(), seg.user(), currentFirst, line - 1));
                        current.setLength(0);
                        currentBytes = 0;
                    }
                    String rest = l;
                    while (!rest.isEmpty()) {
                        String piece = Utf8.prefix(rest, MAX_PIECE_BYTES);
                        chunks.add(chunk(chunks.size(), piece, seg.user(), line, line));
                        rest = rest.substring(piece.length());
                    }
                    line++;
                    currentFirst = line;
                    continue;
                }
                long lineBytes = Utf8.bytes(l) + 1;
                // exact estimates only near the limit: below MAX_PIECE_BYTES a chunk cannot exceed it
                boolean over = current.length() > 0 && currentBytes + lineBytes > MAX_PIECE_BYTES
                        && TokenEstimator.estimate(current + "\n" + l) > MAX_CHUNK_TOKENS;
                currentBytes += lineBytes;
                String candidate = current.length() == 0 ? l : null;
                if (over) {
                    currentBytes = lineBytes;
                    chunks.add(chunk(chunks.size(), current.toString(), seg.user(), currentFirst, line - 1));
                    current.setLength(0);
                    current.append(l);
                    currentFirst = line;
                } else if (candidate != null) {
                    current.append(candidate);
                } else {
                    current.append('\n').append(l);
                }
                line++;
            }
            if (current.length() > 0 || currentFirst < line) {
                chunks.add(chunk(chunks.size(), current.toString(), seg.user(), currentFirst, Math.max(currentFirst, line - 1)));
            }
        }
        return chunks;
    }

    private static Chunk chunk(int index, String text, boolean user, int first, int last) {
        return new Chunk(index, text, user, first, last, TokenEstimator.estimate(text));
    }

    private static int countLines(String text) {
        int n = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }
}
