package dev.tether.context;

import java.nio.charset.StandardCharsets;

/** UTF-8 size arithmetic without encoding whole strings: byte counts and cuts that never split a character. */
final class Utf8 {

    private Utf8() {
    }

    /** UTF-8 length of {@code s} in bytes. */
    static long bytes(String s) {
        if (s == null) {
            return 0;
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            n += charBytes(s, i);
            if (Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            }
        }
        return n;
    }

    /** The longest prefix of at most {@code maxBytes} UTF-8 bytes that does not split a character. */
    static String prefix(String s, long maxBytes) {
        long n = 0;
        int i = 0;
        while (i < s.length()) {
            int width = charBytes(s, i);
            if (n + width > maxBytes) {
                break;
            }
            n += width;
            i += Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length() ? 2 : 1;
        }
        return s.substring(0, i);
    }

    /** The longest suffix of at most {@code maxBytes} UTF-8 bytes that does not split a character. */
    static String suffix(String s, long maxBytes) {
        long n = 0;
        int i = s.length();
        while (i > 0) {
            int start = i - 1;
            if (Character.isLowSurrogate(s.charAt(start)) && start > 0 && Character.isHighSurrogate(s.charAt(start - 1))) {
                start--;
            }
            int width = charBytes(s, start);
            if (n + width > maxBytes) {
                break;
            }
            n += width;
            i = start;
        }
        return s.substring(i);
    }

    /** Bytes of the character (code point) starting at {@code i}; a lone surrogate counts as the 3-byte replacement. */
    private static int charBytes(String s, int i) {
        char c = s.charAt(i);
        if (c < 0x80) {
            return 1;
        }
        if (c < 0x800) {
            return 2;
        }
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            return 4;
        }
        return 3;
    }

    static byte[] encode(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
