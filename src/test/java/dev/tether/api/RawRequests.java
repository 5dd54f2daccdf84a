package dev.tether.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Malformed HTTP/1.1 for the bad-input campaign, written byte for byte: broken percent-encoding, NUL and other
 * forbidden bytes in headers, unparsable or conflicting framing, oversized request lines, headers and bodies,
 * garbage request lines. Only a body whose chunked framing breaks mid-stream may end with a closed connection and no
 * answer (the head was answered already or the stream is not HTTP any more); everything else gets a problem.
 */
final class RawRequests {

    private static final String[] BAD_TARGETS = {"/api/sessions/%zz", "/%", "/api/%G1/x", "/api/sessions?limit=%zz",
        "/api/sessions?directory=%", "/api/sessions/%E2%82", "/api/sessions/\\..\\x", "/api/sessions/a|b",
        "/api/sessions/{x}", "/api/sessions/^", "/api/sessions/\"", "/api/sessions/<x>", "/api/sessions/`",
        "/api/sessions?x=%FF%FE", "/api/sessions/%00", "/api/%2e%2e/%2e%2e/etc/passwd", "/api/sessions/é"};

    private RawRequests() {
    }

    static BadInputs.Request next(Random random, String authorization) {
        String auth = authorization + "\r\n";
        return switch (random.nextInt(14)) {
            case 0, 1 -> raw("raw-bad-target", "GET " + pick(random, BAD_TARGETS) + " HTTP/1.1\r\nHost: x\r\n" + auth
                    + "Connection: close\r\n\r\n", false);
            case 2 -> raw("raw-nul-header", "GET /api/sessions HTTP/1.1\r\nHost: x\r\n" + auth + "X-Note: a"
                    + pick(random, new String[] {"\u0000", "\u0001", "\u007f", "\r", "\u000b"}) + "b\r\n\r\n", false);
            case 3 -> raw("raw-bad-length", "POST /api/sessions HTTP/1.1\r\nHost: x\r\n" + auth
                    + "Content-Type: application/json\r\nContent-Length: " + pick(random, new String[] {"abc", "-1",
                        "1.5", "0x10", "", "99999999999999999999999", "2, 3", " "}) + "\r\n\r\n{}", false);
            case 4 -> raw("raw-long-uri", "GET /api/sessions?q=" + "a".repeat(5_000 + random.nextInt(20_000))
                    + " HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n", false);
            case 5 -> raw("raw-big-headers", "GET /api/sessions HTTP/1.1\r\nHost: x\r\n" + auth + "X-Big: "
                    + "b".repeat(25_000 + random.nextInt(40_000)) + "\r\n\r\n", false);
            case 6 -> raw("raw-big-body", "POST /api/sessions HTTP/1.1\r\nHost: x\r\n" + auth
                    + "Content-Type: application/json\r\nContent-Length: " + (TokenProfile.MAX_BODY_BYTES + 1
                        + random.nextInt(50_000_000))
                    + "\r\n\r\n{\"title\":\"" + "t".repeat(random.nextInt(65_536)), false);
            case 7 -> raw("raw-bad-request-line", pick(random, new String[] {"GARBAGE\r\n\r\n",
                "GET /api/sessions HTTP/9.9\r\nHost: x\r\n" + auth + "\r\n",
                "GET /api/ses sions HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n",
                "\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003\r\n\r\n",
                "GET\r\n\r\n", " / HTTP/1.1\r\n\r\n", "GET /api/sessions HTTP/1.1 extra\r\nHost: x\r\n\r\n"}), false);
            case 8 -> raw("raw-bad-header-line", "GET /api/sessions HTTP/1.1\r\nHost: x\r\n" + auth
                    + pick(random, new String[] {"NoColonHere\r\n", "Bad Header: x\r\n", ": novalue\r\n",
                        "X-A: a\r\n b\r\n", "X\u00e9: y\r\n"}) + "\r\n", false);
            case 9 -> raw("raw-conflicting-framing", "POST /api/sessions HTTP/1.1\r\nHost: x\r\n" + auth
                    + "Content-Type: application/json\r\n" + pick(random, new String[] {
                        "Content-Length: 2\r\nContent-Length: 3\r\n", "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n",
                        "Transfer-Encoding: gzip\r\n", "Transfer-Encoding: chunked, gzip\r\n",
                        "Transfer-Encoding: identity\r\nContent-Length: 2\r\n"}) + "\r\n{}", true);
            case 10 -> raw("raw-bad-chunks", "POST /api/sessions HTTP/1.1\r\nHost: x\r\n" + auth
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + pick(random, new String[] {
                        "zz\r\n{}\r\n0\r\n\r\n", "2\r\n{}XX0\r\n\r\n", "-2\r\n{}\r\n0\r\n\r\n",
                        "ffffffffffffffff\r\n{}\r\n"}), true);
            case 11 -> raw("raw-odd-method", pick(random, new String[] {"get", "G@T", "GET\u0000", "DELETE"})
                    + " /api/sessions HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n", false);
            case 12 -> raw("raw-many-headers", "GET /api/sessions HTTP/1.1\r\nHost: x\r\n" + auth
                    + "X-H: v\r\n".repeat(500 + random.nextInt(3_000)) + "\r\n", false);
            default -> raw("raw-form-body", "POST /api/sessions HTTP/1.1\r\nHost: x\r\n" + auth
                    + "Content-Type: multipart/form-data; boundary=zz\r\nContent-Length: 33\r\n\r\n"
                    + "--zz\r\nContent-Disposition: form-d", false);
        };
    }

    /** A chunked body over the profile's 10 MiB limit: read up to the limit, then refused with 413. */
    static BadInputs.Request chunkedOverflow(String authorization) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("POST /api/sessions HTTP/1.1\r\nHost: x\r\n" + authorization + "\r\nContent-Type: application/json"
                + "\r\nTransfer-Encoding: chunked\r\n\r\nc\r\n{\"title\":\"xx\r\n").getBytes(StandardCharsets.ISO_8859_1));
        byte[] piece = "x".repeat(65_536).getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < 170; i++) {
            out.writeBytes("10000\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(piece);
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes("2\r\n\"}\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return new BadInputs.Request("raw-chunked-overflow", "POST /api/sessions (11 MB chunked)", out.toByteArray(),
                false);
    }

    private static BadInputs.Request raw(String category, String text, boolean mayClose) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int end = text.indexOf(' ', text.indexOf(' ') + 1);
        String summary = text.substring(0, Math.min(Math.max(end, 0), 80)).replaceAll("\\p{Cntrl}", "?");
        return new BadInputs.Request(category, summary, bytes, mayClose);
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }

    static List<String> categories() {
        return List.of("raw-bad-target", "raw-nul-header", "raw-bad-length", "raw-long-uri", "raw-big-headers",
                "raw-big-body", "raw-bad-request-line", "raw-bad-header-line", "raw-conflicting-framing",
                "raw-bad-chunks", "raw-odd-method", "raw-many-headers", "raw-form-body", "raw-chunked-overflow");
    }
}
