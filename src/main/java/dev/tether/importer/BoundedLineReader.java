package dev.tether.importer;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;

/**
 * Reads lines of at most {@code maxChars} characters. A longer line is consumed to its end without being kept, so
 * one oversized line can never exhaust the heap; {@link #lastWasTooLong()} tells the caller to count it as skipped.
 * A trailing {@code \r} is removed.
 */
final class BoundedLineReader implements Closeable {

    private final Reader in;
    private final int maxChars;
    private final char[] buf = new char[64 * 1024];
    private int pos;
    private int len;
    private boolean tooLong;

    BoundedLineReader(Reader in, int maxChars) {
        this.in = in;
        this.maxChars = maxChars;
    }

    /** The next line (possibly empty), or {@code null} at end of input. An oversized line is returned as "". */
    String next() throws IOException {
        tooLong = false;
        StringBuilder line = null;
        int kept = 0;
        while (true) {
            if (pos >= len) {
                len = in.read(buf, 0, buf.length);
                pos = 0;
                if (len <= 0) {
                    len = 0;
                    if (line == null && !tooLong) {
                        return null;
                    }
                    return finish(line);
                }
            }
            int start = pos;
            while (pos < len && buf[pos] != '\n') {
                pos++;
            }
            int chunk = pos - start;
            if (!tooLong) {
                if (kept + chunk > maxChars) {
                    tooLong = true;
                    line = null;
                } else {
                    if (line == null) {
                        line = new StringBuilder(Math.min(chunk + 16, maxChars));
                    }
                    line.append(buf, start, chunk);
                    kept += chunk;
                }
            }
            if (pos < len) {
                pos++; // the newline
                return finish(line);
            }
        }
    }

    private String finish(StringBuilder line) {
        if (tooLong || line == null) {
            return "";
        }
        int n = line.length();
        if (n > 0 && line.charAt(n - 1) == '\r') {
            line.setLength(n - 1);
        }
        return line.toString();
    }

    /** Whether the line last returned by {@link #next()} exceeded the limit and was discarded. */
    boolean lastWasTooLong() {
        return tooLong;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
