package dev.tether.api;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Syntax checks of the request head that the HTTP layer leaves to the application: the request target's
 * percent-encoding and the {@code Content-Type} media type. A request failing them is answered before routing, so no
 * later layer meets a value it cannot decode or parse (those failed as 500s or empty bodies).
 */
final class RequestSyntax {

    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

    static final String MALFORMED_TARGET = "The request target is not well-formed: a character outside printable "
            + "ASCII or not allowed in a URI, or a percent-escape that is malformed, NUL or not UTF-8";

    private RequestSyntax() {
    }

    /**
     * Whether {@code target} is printable ASCII whose every {@code %} starts a two-hex-digit escape, and whose escapes
     * decode to UTF-8 without NUL (RFC 3986 §2.1; a NUL or a broken UTF-8 sequence is never a legitimate id or query).
     */
    static boolean wellFormedTarget(String target) {
        if (target == null || target.isEmpty()) {
            return false;
        }
        if (target.indexOf('%') < 0) {
            return printableAscii(target);
        }
        ByteBuffer bytes = ByteBuffer.allocate(target.length());
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
            if (c != '%') {
                bytes.put((byte) c);
                continue;
            }
            if (i + 2 >= target.length()) {
                return false;
            }
            int hi = hex(target.charAt(i + 1));
            int lo = hex(target.charAt(i + 2));
            if (hi < 0 || lo < 0 || hi == 0 && lo == 0) {
                return false;
            }
            bytes.put((byte) (hi << 4 | lo));
            i += 2;
        }
        bytes.flip();
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes);
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static boolean printableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        char lower = (char) (c | 0x20);
        return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
    }

    /**
     * Whether {@code value} is one media type as RFC 9110 §8.3.1 defines it: {@code type/subtype} tokens and
     * {@code ;name=value} parameters (token or quoted-string). A list ({@code application/json, text/plain}) is not.
     */
    static boolean validMediaType(String value) {
        if (value == null) {
            return false;
        }
        String s = value.strip();
        int i = token(s, 0);
        if (i == 0 || i >= s.length() || s.charAt(i) != '/') {
            return false;
        }
        int end = token(s, i + 1);
        if (end == i + 1) {
            return false;
        }
        i = end;
        while (true) {
            i = spaces(s, i);
            if (i == s.length()) {
                return true;
            }
            if (s.charAt(i) != ';') {
                return false;
            }
            i = spaces(s, i + 1);
            if (i == s.length()) {
                return true;
            }
            int name = token(s, i);
            if (name == i || name >= s.length() || s.charAt(name) != '=') {
                return false;
            }
            i = name + 1;
            int val = i < s.length() && s.charAt(i) == '"' ? quoted(s, i) : token(s, i);
            if (val <= i) {
                return false;
            }
            i = val;
        }
    }

    /** The index after the token starting at {@code from} ({@code from} itself when there is none). */
    private static int token(String s, int from) {
        int i = from;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (!(c < 0x7f && (Character.isLetterOrDigit(c) || TOKEN_SYMBOLS.indexOf(c) >= 0))) {
                break;
            }
            i++;
        }
        return i;
    }

    /** The index after the quoted-string starting at {@code from}, or -1 when it is not closed. */
    private static int quoted(String s, int from) {
        for (int i = from + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i + 1;
            } else if (c < 0x20 && c != '\t' || c == 0x7f) {
                return -1;
            }
        }
        return -1;
    }

    private static int spaces(String s, int from) {
        int i = from;
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }
}
