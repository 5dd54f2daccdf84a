package dev.tether.session;

import java.util.regex.Pattern;

/** Session id rules (spec §2.1, §9): 1–128 ASCII characters of {@code [A-Za-z0-9_-]}. */
public final class SessionIds {

    public static final int MAX_LENGTH = 128;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_LENGTH + "}");

    private SessionIds() {
    }

    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }

    /** Returns the id, or throws {@link InvalidSessionIdException} before any storage is touched. */
    public static String require(String id) {
        if (!isValid(id)) {
            throw new InvalidSessionIdException(id);
        }
        return id;
    }
}
