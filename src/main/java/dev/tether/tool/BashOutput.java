package dev.tether.tool;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The merged stdout/stderr of a {@code bash} call, in arrival order, capped at 100,000 bytes: the first and the last
 * 50,000 bytes are kept with a marker between them (spec §4.6). Thread-safe: both stream readers append.
 */
final class BashOutput {

    static final int HEAD_BYTES = 50_000;
    static final int TAIL_BYTES = 50_000;

    private final ByteArrayOutputStream head = new ByteArrayOutputStream();
    private final byte[] tail = new byte[TAIL_BYTES];
    private int tailStart;
    private int tailSize;
    private long total;

    synchronized void append(byte[] bytes, int offset, int length) {
        total += length;
        int toHead = Math.min(length, HEAD_BYTES - head.size());
        if (toHead > 0) {
            head.write(bytes, offset, toHead);
        }
        for (int i = offset + toHead; i < offset + length; i++) {
            int at = (tailStart + tailSize) % TAIL_BYTES;
            tail[at] = bytes[i];
            if (tailSize < TAIL_BYTES) {
                tailSize++;
            } else {
                tailStart = (tailStart + 1) % TAIL_BYTES;
            }
        }
    }

    synchronized long totalBytes() {
        return total;
    }

    /** The kept output as text; over the cap, head + marker + tail, each cut on character boundaries. */
    synchronized String text() {
        byte[] headBytes = head.toByteArray();
        byte[] tailBytes = new byte[tailSize];
        for (int i = 0; i < tailSize; i++) {
            tailBytes[i] = tail[(tailStart + i) % TAIL_BYTES];
        }
        long omitted = total - headBytes.length - tailBytes.length;
        if (omitted <= 0) {
            byte[] all = new byte[headBytes.length + tailBytes.length];
            System.arraycopy(headBytes, 0, all, 0, headBytes.length);
            System.arraycopy(tailBytes, 0, all, headBytes.length, tailBytes.length);
            return decode(all, 0, all.length);
        }
        int headEnd = Utf8.completePrefix(headBytes, headBytes.length);
        int tailFrom = Utf8.firstBoundary(tailBytes);
        return decode(headBytes, 0, headEnd)
                + "\n[... " + omitted + " bytes of output omitted; the first " + HEAD_BYTES + " and last "
                + TAIL_BYTES + " bytes are kept ...]\n"
                + decode(tailBytes, tailFrom, tailBytes.length - tailFrom);
    }

    static String decode(byte[] bytes, int offset, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes, offset, length)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalStateException("a replacing decoder cannot fail", e);
        }
    }

    /** Byte-level UTF-8 boundaries. */
    static final class Utf8 {
        private Utf8() {
        }

        /** Length of the longest prefix of {@code bytes[0, length)} that does not end inside a character. */
        static int completePrefix(byte[] bytes, int length) {
            for (int back = 1; back <= Math.min(4, length); back++) {
                int b = bytes[length - back] & 0xFF;
                if ((b & 0xC0) == 0x80) {
                    continue; // continuation byte: keep looking for the lead byte
                }
                int need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
                return need > back ? length - back : length;
            }
            return length;
        }

        /** Index of the first byte that does not continue a character cut off at the start. */
        static int firstBoundary(byte[] bytes) {
            int i = 0;
            while (i < bytes.length && i < 3 && (bytes[i] & 0xC0) == 0x80) {
                i++;
            }
            return i;
        }
    }
}
