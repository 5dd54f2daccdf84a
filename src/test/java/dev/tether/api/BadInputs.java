package dev.tether.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates the requests of {@link BadInputCampaignTest} from a seeded {@link Random}: every endpoint with mutated
 * JSON bodies (wrong types, huge values, trailing content, truncation, deep nesting, invalid UTF-8), bad content types
 * and Accept headers, bad ids, bad query parameters and wrong methods, plus raw malformed HTTP. Requests that reach
 * the protected session ({@code victim}) are invalid by construction or read-only, so no answer may change it.
 */
final class BadInputs {

    /** One request: bytes for the socket, and what it is, for the report. */
    record Request(String category, String summary, byte[] bytes, boolean mayClose) {
    }

    static final String MISSING = "no-such-session-0000";
    private static final String[] BAD_IDS = {"..%2Fx", "a.json", "a%2Fb", "%2E%2E", "%20", "x".repeat(200),
        "a%00b", "%C3%A9", "a;b=c", "~x", "a%252Fb", "-", "%E2%80%AE"};
    private static final String[] CONTENT_TYPES = {"application/json", "application/json", "application/json",
        "application/json; charset=utf-8", "text/plain", "application/xml", "%%%", "application/json, text/plain",
        "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-16",
        "application/", "*/*", null};
    private static final String[] ACCEPTS = {null, null, "application/json", "text/event-stream", "*/*", "text/html",
        "%%%", "application/json;q=abc", "application/problem+json"};
    private static final String[] WRONG_METHODS = {"PUT", "PATCH", "OPTIONS", "TRACE", "BREW", "CONNECT"};
    private static final String[] SCALARS = {"123", "-1", "0", "1.5", "\"1.5\"", "\"3\"", "true", "false", "null", "[]",
        "{}", "[1,2]", "{\"a\":1}", "\"\"", "\"   \"", "1e400", "123456789012345678901234567890", "-0", "\"\\u0000\"",
        "\"\\ud800\""};

    private final Random random;
    private final String victim;
    private final String authorization;

    BadInputs(Random random, String victim, String authorization) {
        this.random = random;
        this.victim = victim;
        this.authorization = authorization;
    }

    Request next() {
        int kind = random.nextInt(100);
        if (kind < 14) {
            return create();
        } else if (kind < 24) {
            return list();
        } else if (kind < 34) {
            return getOrDelete();
        } else if (kind < 52) {
            return prompt();
        } else if (kind < 57) {
            return abort();
        } else if (kind < 63) {
            return events();
        } else if (kind < 69) {
            return contextOrCompact();
        } else if (kind < 77) {
            return importCodex();
        } else if (kind < 84) {
            return wrongMethod();
        }
        return RawRequests.next(random, authorization);
    }

    private Request create() {
        String body = mutate("{\"title\":\"t\",\"agent\":\"build\",\"directory\":\".\",\"model\":\"openai/gpt-4o\"}",
                new String[] {"title", "agent", "directory", "model"});
        return json("create", "POST", "/api/sessions", body, contentType(), accept());
    }

    private Request list() {
        StringBuilder q = new StringBuilder("?");
        String[] names = {"limit", "cursor", "directory", "include", "limit"};
        String[] values = {"0", "-1", "1001", "ten", "1.5", "99999999999", "2", "", "bogus!", "codex", "CODEX", "x",
            "%2E%2E", "..%2F..", "%C3%A9", "a+b", "%2F", "%00", "%zz", "%", "1%2C2"};
        for (int i = random.nextInt(4); i >= 0; i--) {
            q.append(pick(names)).append('=').append(pick(values)).append('&');
        }
        return plain("list", "GET", "/api/sessions" + q, accept());
    }

    private Request getOrDelete() {
        boolean delete = random.nextBoolean();
        String id = delete ? someIdButVictim() : someId();
        String query = random.nextBoolean() ? "" : "?tail=" + pick(new String[] {"-1", "abc", "1.5", "2", "0",
            "99999999999", "", "%zz", "2147483647"});
        return plain(delete ? "delete" : "get", delete ? "DELETE" : "GET", "/api/sessions/" + id + query, accept());
    }

    private Request prompt() {
        String template = "{\"message\":\"hi\",\"images\":[{\"data_url\":\"data:image/png;base64,iVBORw0KGgo=\"}],"
                + "\"model\":\"openai/gpt-4o\",\"max_steps\":3,\"if_busy\":\"queue\"}";
        String[] fields = {"message", "images", "model", "max_steps", "if_busy"};
        boolean onVictim = random.nextInt(3) == 0;
        String body = onVictim ? breakPrompt(template) : mutate(template, fields);
        String id = onVictim ? victim : random.nextBoolean() ? MISSING : pick(BAD_IDS);
        String query = random.nextInt(5) == 0 ? "?cancel_on_disconnect=" + pick(new String[] {"true", "x", ""}) : "";
        return json(onVictim ? "prompt-victim" : "prompt", "POST", "/api/sessions/" + id + "/prompt" + query, body,
                onVictim ? "application/json" : contentType(), accept());
    }

    /** A prompt body that must be refused whatever else holds: one guaranteed violation. */
    private String breakPrompt(String template) {
        String[] breakers = {
            "{\"message\":" + pick(new String[] {"123", "true", "[]", "{}", "1.5"}) + "}",
            "{\"message\":\"hi\",\"max_steps\":" + pick(new String[] {"\"1.5\"", "1.5", "0", "-3", "\"abc\"", "1e400",
                "99999999999", "\"3\"", "true"}) + "}",
            "{\"message\":\"hi\",\"model\":" + pick(new String[] {"\"openai/a b\"", "\"\"", "\"/x\"", "\"x/\"", "123",
                "\"" + "m".repeat(300) + "\"", "\" openai/gpt-4o\"", "[\"openai/gpt-4o\"]"}) + "}",
            "{\"message\":\"hi\",\"images\":" + pick(new String[] {"[{\"data_url\":\"data:text/html;base64,PGI+\"}]",
                "[{\"data_url\":5}]", "\"notalist\"", "[{\"data_url\":\"data:image/png;base64,@@@\"}]",
                "[{\"data_url\":\"http://x/y.png\"}]", "[{\"data_url\":\"data:image/svg+xml;base64,PHN2Zz4=\"}]",
                "[{\"data_url\":\"data:image/png;base64,iVBORw0KGgo=\",\"mime_type\":\"text/html\"}]", "[null]",
                "[{}]", "{}"}) + "}",
            "{\"message\":\"hi\",\"if_busy\":" + pick(new String[] {"\"maybe\"", "1", "0", "true", "\"QUEUE\"", "[]"}) + "}",
            template + pick(new String[] {" x", "{}", ",", "]", " {\"message\":\"again\"}", "\u0000", " 1"}),
            template.substring(0, 1 + random.nextInt(template.length() - 2)),
            "{\"message\":\"   \"}", "{}", "", "null", "[]", "\"hi\"", "42", "{\"message\":null}",
            "[".repeat(5000) + "]".repeat(5000), "{\"message\":" + "[".repeat(3000) + "]".repeat(3000) + "}",
            "{\"message\":\"hi\",}", "{'message':'hi'}", "{\"message\":\"hi\"" };
        return pick(breakers);
    }

    private Request abort() {
        String id = random.nextInt(3) == 0 ? victim : someIdButVictim();
        return plain("abort", "POST", "/api/sessions/" + id + "/abort", accept());
    }

    private Request events() {
        String[] bad = {"-1", "abc", "1.5", "99999999999999999999", "%zz", "1e3", "0x10"};
        if (random.nextBoolean()) {
            // the victim only with a bad resume point: a valid one would follow it forever
            boolean header = random.nextBoolean();
            String value = pick(bad);
            String target = "/api/sessions/" + victim + "/events" + (header ? "" : "?after=" + value);
            List<String> headers = new ArrayList<>(List.of(authorization));
            if (header) {
                headers.add("Last-Event-ID: " + value.replace("%zz", "zz"));
            }
            return request("events-victim", "GET", target, headers, null, false);
        }
        String target = "/api/sessions/" + someIdButVictim() + "/events"
                + (random.nextBoolean() ? "" : "?after=" + pick(bad));
        return plain("events", "GET", target, "text/event-stream");
    }

    private Request contextOrCompact() {
        if (random.nextBoolean()) {
            return plain("context", "GET", "/api/sessions/" + someId() + "/context", accept());
        }
        // only the dry run on the victim: a real compaction is a write
        boolean onVictim = random.nextBoolean();
        String query = onVictim ? "?dry_run=true" : "?dry_run=" + pick(new String[] {"maybe", "1", "", "TRUE", "%zz"});
        return plain("compact", "POST", "/api/sessions/" + (onVictim ? victim : someIdButVictim()) + "/compact" + query,
                accept());
    }

    private Request importCodex() {
        String template = random.nextBoolean() ? "{\"id\":\"" + MISSING + "\"}" : "{\"directory\":\"/nowhere\"}";
        String body = mutate(template, new String[] {"id", "directory"});
        return json("import", "POST", "/api/import/codex", body, contentType(), accept());
    }

    private Request wrongMethod() {
        String[] paths = {"/api/sessions", "/api/sessions/" + MISSING, "/api/sessions/" + MISSING + "/prompt",
            "/api/sessions/" + MISSING + "/abort", "/api/sessions/" + MISSING + "/context",
            "/api/sessions/" + MISSING + "/compact", "/api/import/codex", "/api/sessions/" + MISSING + "/events"};
        String method = pick(WRONG_METHODS);
        return request("wrong-method", method, pick(paths), List.of(authorization, "Content-Type: application/json"),
                random.nextBoolean() ? "{}".getBytes(StandardCharsets.UTF_8) : null, false);
    }

    // ---- JSON mutation ---------------------------------------------------------------------------------------------

    private String mutate(String template, String[] fields) {
        String body = template;
        for (int i = random.nextInt(3); i >= 0; i--) {
            body = mutateOnce(body, fields);
        }
        return body;
    }

    private String mutateOnce(String body, String[] fields) {
        String field = pick(fields);
        return switch (random.nextInt(12)) {
            case 0, 1 -> setField(body, field, pick(SCALARS));
            case 2 -> setField(body, field, "\"" + "x".repeat(random.nextInt(5) == 0 ? 1_100_000 : 2_000) + "\"");
            case 3 -> setField(body, "unknown_" + random.nextInt(100), pick(SCALARS));
            case 4 -> body + pick(new String[] {" x", "{}", ",", "]", " {\"a\":1}", " 1", "\n\n//c"});
            case 5 -> body.substring(0, random.nextInt(body.length()));
            case 6 -> "[".repeat(2000 + random.nextInt(4000)) + "]".repeat(10);
            case 7 -> pick(new String[] {"", "null", "[]", "\"x\"", "42", "true", "{", "}", "{}", "{\"\":1}"});
            case 8 -> body.replace("\"", "'");
            case 9 -> setField(body, field, "\"" + pick(new String[] {"\\ud800", "\\u0000", "\u202e", "..\\/..",
                "%00", "\\\\"}) + "\"");
            case 10 -> body.replaceFirst(":", ":" + "{".repeat(1 + random.nextInt(3)));
            default -> setField(body, field, "{\"nested\":" + pick(SCALARS) + "}");
        };
    }

    /** Replaces (or adds) {@code "field": value} at the top level of a flat object template. */
    private static String setField(String body, String field, String value) {
        String key = "\"" + field + "\":";
        int at = body.indexOf(key);
        if (at < 0 || !body.startsWith("{")) {
            return body.startsWith("{") && body.length() > 1 ? "{" + key + value + "," + body.substring(1) : body;
        }
        int start = at + key.length();
        int end = valueEnd(body, start);
        return body.substring(0, start) + value + body.substring(end);
    }

    private static int valueEnd(String s, int start) {
        int depth = 0;
        boolean quoted = false;
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '[' || c == '{') {
                depth++;
            } else if (c == ']' || c == '}') {
                if (depth == 0) {
                    return i;
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                return i;
            }
        }
        return s.length();
    }

    // ---- plumbing --------------------------------------------------------------------------------------------------

    private String someId() {
        int r = random.nextInt(3);
        return r == 0 ? victim : r == 1 ? MISSING : pick(BAD_IDS);
    }

    private String someIdButVictim() {
        return random.nextBoolean() ? MISSING : pick(BAD_IDS);
    }

    private String contentType() {
        return pick(CONTENT_TYPES);
    }

    private String accept() {
        return pick(ACCEPTS);
    }

    private Request json(String category, String method, String target, String body, String contentType,
                         String accept) {
        List<String> headers = new ArrayList<>(List.of(authorization));
        if (contentType != null) {
            headers.add("Content-Type: " + contentType);
        }
        if (accept != null) {
            headers.add("Accept: " + accept);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (random.nextInt(20) == 0) {
            bytes = withInvalidUtf8(bytes);
        }
        return request(category, method, target, headers, bytes, false);
    }

    private Request plain(String category, String method, String target, String accept) {
        List<String> headers = new ArrayList<>(List.of(authorization));
        if (accept != null) {
            headers.add("Accept: " + accept);
        }
        return request(category, method, target, headers, null, false);
    }

    private byte[] withInvalidUtf8(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = body.length == 0 ? 0 : random.nextInt(body.length);
        out.write(body, 0, at);
        out.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
        out.write(body, at, body.length - at);
        return out.toByteArray();
    }

    static Request request(String category, String method, String target, List<String> headers, byte[] body,
                           boolean mayClose) {
        StringBuilder head = new StringBuilder().append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\nConnection: close\r\n");
        for (String h : headers) {
            head.append(h).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            out.writeBytes(body);
        }
        String summary = method + " " + (target.length() > 80 ? target.substring(0, 80) + "…" : target);
        return new Request(category, summary, out.toByteArray(), mayClose);
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }
}
