package dev.tether.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The request-head checks the HTTP gate applies before routing. */
class RequestSyntaxTest {

    @Test
    void targetsMustBePrintableAsciiWithWellFormedUtf8Escapes() {
        for (String ok : new String[] {"/api/sessions", "/%61pi/sessions?limit=2&x=%C3%A9", "/a%2Fb", "*",
            "/q/health/live", "/x?q=a+b"}) {
            assertTrue(RequestSyntax.wellFormedTarget(ok), ok);
        }
        for (String bad : new String[] {"", "/%zz", "/%4", "/%", "/a%2", "/x?limit=%zz", "/%00", "/x?a=%00",
            "/%C3%28", "/%FF", "/é", "/a b", "/a\tb", "/\u0000", "/%٣٣"}) {
            assertFalse(RequestSyntax.wellFormedTarget(bad), bad);
        }
        assertFalse(RequestSyntax.wellFormedTarget(null));
    }

    @Test
    void mediaTypeIsOneTypeSlashSubtypeWithParameters() {
        for (String ok : new String[] {"application/json", "application/json; charset=UTF-8",
            "application/json;charset=\"utf-8\"", "text/event-stream", "application/problem+json",
            " application/json ", "application/json;", "multipart/form-data; boundary=abc"}) {
            assertTrue(RequestSyntax.validMediaType(ok), ok);
        }
        for (String bad : new String[] {"%%%", "application/json, text/plain", "json", "application/", "/json",
            "application/json; charset", "application/json; charset=", "application/json; charset=\"utf-8",
            "application/json; =x", "appli cation/json", "application/json x", "", "application/jsön"}) {
            assertFalse(RequestSyntax.validMediaType(bad), bad);
        }
        assertFalse(RequestSyntax.validMediaType(null));
    }
}
