package dev.tether.api;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Spellings of one path that a client, a proxy or routing may treat as the same resource: percent-encoded letters,
 * dot segments (plain and encoded), doubled and trailing slashes, matrix parameters, encoded slashes, backslashes,
 * case changes, and walks out of the public {@code /q/health} prefix. Sent raw, none of them may skip the token.
 */
final class AuthSpellings {

    private AuthSpellings() {
    }

    /** At least 30 distinct request targets for {@code path} (which starts with {@code /} and has 2+ segments). */
    static List<String> of(String path, int port) {
        String rest = path.substring(1);
        String[] seg = rest.split("/");
        String first = seg[0];
        String afterFirst = rest.substring(first.length());
        String last = seg[seg.length - 1];
        String beforeLast = path.substring(0, path.length() - last.length());
        Set<String> s = new LinkedHashSet<>();
        s.add(path);
        s.add(path + "/");
        s.add("/" + path);
        s.add(path.replace("/", "//"));
        s.add("/./" + rest);
        s.add("/x/../" + rest);
        s.add("/%2e/" + rest);
        s.add("/%2E%2E/" + rest);
        s.add("/%2e%2e/%2e%2e/" + rest);
        s.add("/" + encodeFirstLetter(first, false) + afterFirst);
        s.add("/" + encodeAll(first, true) + afterFirst);
        s.add("/" + encodeAll(first, false) + afterFirst);
        s.add(beforeLast + encodeFirstLetter(last, true));
        s.add("/" + first + ";x=1" + afterFirst);
        s.add("/" + first + ";" + afterFirst);
        s.add(path + ";jsessionid=1");
        s.add("/" + first + "%2F" + afterFirst.substring(1));
        s.add("/" + first + "%2f" + afterFirst.substring(1));
        s.add(path.replace('/', '\\'));
        s.add("/" + first + afterFirst.replace('/', '\\'));
        s.add("/" + first.toUpperCase(Locale.ROOT) + afterFirst);
        s.add(beforeLast + last.toUpperCase(Locale.ROOT));
        s.add("/" + first + "/." + afterFirst);
        s.add("/" + first + "/x/.." + afterFirst);
        s.add("/" + first + "/%2e" + afterFirst);
        s.add(path + "/.");
        s.add(path + "/x/..");
        s.add(path + "?a=b");
        s.add(path + "#fragment");
        s.add("%2F" + rest);
        s.add("http://127.0.0.1:" + port + path);
        s.add("http://evil.example" + path);
        s.add("/%252e/" + rest);
        s.add("/q/health/../.." + path);
        s.add("/q/health/%2e%2e/%2e%2e" + path);
        s.add("/q/health/..;/..;" + path);
        s.add("/q/health/..%2F..%2F" + rest);
        s.add("/q/health;/../.." + path);
        s.add("/q/health/live/../../.." + path);
        s.add(path + "%20");
        s.add(path + "%00");
        return new ArrayList<>(s);
    }

    private static String encodeFirstLetter(String segment, boolean upperHex) {
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (Character.isLetter(c)) {
                return segment.substring(0, i) + escape(c, upperHex) + segment.substring(i + 1);
            }
        }
        return segment;
    }

    private static String encodeAll(String segment, boolean upperHex) {
        StringBuilder sb = new StringBuilder();
        for (char c : segment.toCharArray()) {
            sb.append(escape(c, upperHex));
        }
        return sb.toString();
    }

    private static String escape(char c, boolean upperHex) {
        String hex = String.format("%02x", (int) c);
        return "%" + (upperHex ? hex.toUpperCase(Locale.ROOT) : hex);
    }
}
