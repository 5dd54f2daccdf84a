package dev.tether.tool;

import java.util.regex.Pattern;

/**
 * A glob over {@code /}-separated relative paths: {@code *} and {@code ?} stay within one path segment, {@code **}
 * crosses directories ({@code **}{@code /} also matches no directory at all), {@code [...]} is a character class
 * ({@code [!...]} negated) and {@code {a,b}} an alternation (nestable).
 */
public final class Glob {

    private final String glob;
    private final Pattern regex;

    private Glob(String glob, Pattern regex) {
        this.glob = glob;
        this.regex = regex;
    }

    /** Compiles a glob; fails with a readable message when it is malformed. */
    public static Glob compile(String glob) throws ToolFailure {
        try {
            return new Glob(glob, Pattern.compile(toRegex(glob)));
        } catch (IllegalArgumentException e) {
            throw new ToolFailure("Invalid glob pattern: " + glob);
        }
    }

    public boolean matches(String relativePath) {
        return regex.matcher(relativePath).matches();
    }

    @Override
    public String toString() {
        return glob;
    }

    static String toRegex(String glob) {
        StringBuilder re = new StringBuilder();
        int braces = 0;
        int n = glob.length();
        for (int i = 0; i < n; i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> {
                    if (i + 1 < n && glob.charAt(i + 1) == '*') {
                        boolean slash = i + 2 < n && glob.charAt(i + 2) == '/';
                        if (slash) {
                            re.append("(?:.*/)?");
                            i += 2;
                        } else {
                            re.append(".*");
                            i += 1;
                        }
                    } else {
                        re.append("[^/]*");
                    }
                }
                case '?' -> re.append("[^/]");
                case '[' -> {
                    int end = glob.indexOf(']', i + 2);
                    if (end < 0) {
                        re.append("\\[");
                        break;
                    }
                    String body = glob.substring(i + 1, end);
                    re.append('[');
                    if (body.startsWith("!") || body.startsWith("^")) {
                        re.append('^');
                        body = body.substring(1);
                    }
                    re.append(body.replace("\\", "\\\\").replace("[", "\\[").replace("&&", "&\\&"));
                    re.append(']');
                    i = end;
                }
                case '{' -> {
                    braces++;
                    re.append("(?:");
                }
                case '}' -> {
                    if (braces > 0) {
                        braces--;
                        re.append(')');
                    } else {
                        re.append("\\}");
                    }
                }
                case ',' -> re.append(braces > 0 ? "|" : ",");
                case '\\' -> {
                    if (i + 1 < n) {
                        re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
                    } else {
                        re.append("\\\\");
                    }
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        if (braces > 0) {
            throw new IllegalArgumentException("unclosed {");
        }
        return re.toString();
    }
}
