package dev.tether.tool;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GlobTest {

    @Test
    void starStaysInOneSegmentDoubleStarCrossesDirectories() throws Exception {
        Glob java = Glob.compile("*.java");
        assertTrue(java.matches("A.java"));
        assertFalse(java.matches("src/A.java"));
        Glob deep = Glob.compile("**/*.java");
        assertTrue(deep.matches("A.java"));
        assertTrue(deep.matches("src/main/A.java"));
        assertFalse(deep.matches("src/main/A.javax"));
        assertTrue(Glob.compile("src/**").matches("src/a/b/c.txt"));
    }

    @Test
    void questionMarkClassesAndAlternations() throws Exception {
        assertTrue(Glob.compile("?.txt").matches("a.txt"));
        assertFalse(Glob.compile("?.txt").matches("ab.txt"));
        assertTrue(Glob.compile("[ab].txt").matches("b.txt"));
        assertFalse(Glob.compile("[!ab].txt").matches("b.txt"));
        assertTrue(Glob.compile("*.{ts,tsx}").matches("x.tsx"));
        assertTrue(Glob.compile("*.{ts,tsx}").matches("x.ts"));
        assertFalse(Glob.compile("*.{ts,tsx}").matches("x.js"));
        assertTrue(Glob.compile("a+b(c).txt").matches("a+b(c).txt"));
    }

    @Test
    void unclosedBraceIsAReadableFailure() {
        assertThrows(ToolFailure.class, () -> Glob.compile("*.{ts"));
    }
}
