package dev.tether.tool;

/**
 * UTF-8 size arithmetic of transcript text without encoding whole strings: byte counts, and prefixes and suffixes
 * that never split a character. The one place for it: tool outputs and event caps (spec §4.4) and context
 * management (§6, §7) measure and cut text the same way.
 *
 * <p>Sizes are those {@link String#getBytes(java.nio.charset.Charset) getBytes(UTF_8)} produces: a surrogate pair is
 * 4 bytes, a lone surrogate the 1-byte {@code '?'} the encoder writes in its place.
 */
public final class Utf8 {

    private Utf8() {
    }

    /** UTF-8 length of {@code s} in bytes; 0 for null. */
    public static long bytes(String s) {
        if (s == null) {
            return 0;
        }
        long n = 0;
        int i = 0;
        while (i < s.length()) {
            n += width(s, i);
            i += chars(s, i);
        }
        return n;
    }

    /** The longest prefix of {@code s} of at most {@code maxBytes} UTF-8 bytes that does not split a character. */
    public static String prefix(String s, long maxBytes) {
        long n = 0;
        int i = 0;
        while (i < s.length()) {
            int width = width(s, i);
            if (n + width > maxBytes) {
                break;
            }
            n += width;
            i += chars(s, i);
        }
        return s.substring(0, i);
    }

    /** The longest suffix of {@code s} of at most {@code maxBytes} UTF-8 bytes that does not split a character. */
    public static String suffix(String s, long maxBytes) {
        long n = 0;
        int i = s.length();
        while (i > 0) {
            int start = i - 1;
            if (Character.isLowSurrogate(s.charAt(start)) && start > 0 && Character.isHighSurrogate(s.charAt(start - 1))) {
                start--;
            }
            int width = width(s, start);
            if (n + width > maxBytes) {
                break;
            }
            n += width;
            i = start;
        }
        return s.substring(i);
    }

    /** Bytes of the character starting at {@code i}. */
    private static int width(String s, int i) {
        char c = s.charAt(i);
        if (c < 0x80) {
            return 1;
        }
        if (c < 0x800) {
            return 2;
        }
        if (chars(s, i) == 2) {
            return 4;
        }
        return Character.isSurrogate(c) ? 1 : 3;
    }

    /** 2 for a surrogate pair starting at {@code i}, else 1. */
    private static int chars(String s, int i) {
        return Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length()
                && Character.isLowSurrogate(s.charAt(i + 1)) ? 2 : 1;
    }
}
