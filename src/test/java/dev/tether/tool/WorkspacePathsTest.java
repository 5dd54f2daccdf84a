package dev.tether.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspacePathsTest {

    @TempDir
    Path tmp;
    Path ws;
    Path root;

    @BeforeEach
    void setUp() throws Exception {
        ws = Files.createDirectories(tmp.resolve("src/ws"));
        Files.writeString(ws.resolve("a.txt"), "hello\n");
        root = ws.toRealPath();
    }

    private ToolContext context(Path workspace) {
        return new ToolContext("s", "c", workspace, new WorkspaceRoot(tmp), false, false, () -> false,
                ToolContext.OutputSink.NONE);
    }

    private void assertEscapes(String path) {
        ToolFailure f = assertThrows(ToolFailure.class, () -> WorkspacePaths.resolve(root, path));
        assertEquals("Path escapes the workspace: " + path, f.getMessage());
    }

    @Test
    void relativeAndAbsoluteInsideAreAccepted() throws Exception {
        assertEquals(root.resolve("a.txt"), WorkspacePaths.resolve(root, "a.txt"));
        assertEquals(root.resolve("a.txt"), WorkspacePaths.resolve(root, "./sub/../a.txt"));
        assertEquals(root.resolve("a.txt"), WorkspacePaths.resolve(root, root.resolve("a.txt").toString()));
        assertEquals(root, WorkspacePaths.resolve(root, "."));
        assertEquals(root, WorkspacePaths.resolve(root, ""));
        assertEquals(root.resolve("new/dir/file.txt"), WorkspacePaths.resolve(root, "new/dir/file.txt"));
    }

    @Test
    void scenario24_dotDotAndAbsolutePathsOutsideEscape() {
        assertEscapes("../../etc/passwd");
        assertEscapes("/etc/passwd");
        assertEscapes("..");
        assertEscapes("sub/../../ws2/x");
    }

    @Test
    void scenario24_symlinkToEtcEscapes() throws Exception {
        Files.createSymbolicLink(ws.resolve("out"), Path.of("/etc"));
        assertEscapes("out/passwd");
        assertEscapes("out");
        assertEscapes("out/does-not-exist/file");
    }

    @Test
    void symlinkToFilesystemRootEscapes() throws Exception {
        Files.createSymbolicLink(ws.resolve("slash"), Path.of("/"));
        assertEscapes("slash/etc/passwd");
        assertEscapes("slash");
    }

    @Test
    void danglingSymlinkPointingOutsideEscapes() throws Exception {
        Files.createSymbolicLink(ws.resolve("dangling"), tmp.resolve("outside/new.txt"));
        assertEscapes("dangling");
        Files.createSymbolicLink(ws.resolve("rel"), Path.of("../../nowhere"));
        assertEscapes("rel/x");
    }

    @Test
    void symlinksInsideTheWorkspaceAreFollowed() throws Exception {
        Files.createDirectories(ws.resolve("real"));
        Files.createSymbolicLink(ws.resolve("alias"), Path.of("real"));
        assertEquals(root.resolve("real/x.txt"), WorkspacePaths.resolve(root, "alias/x.txt"));
    }

    @Test
    void workspaceReachedThroughASymlinkIsCanonicalised() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("link"), ws);
        Path canonical = WorkspacePaths.root(context(link));
        assertEquals(root, canonical);
        assertEquals(root.resolve("a.txt"), WorkspacePaths.resolve(context(link), link.resolve("a.txt").toString()));
    }

    @Test
    void unsetOrMissingWorkspaceFailsClearly() {
        ToolFailure unset = assertThrows(ToolFailure.class, () -> WorkspacePaths.root(context(null)));
        assertEquals("No workspace directory is set for this session; file tools are unavailable.",
                unset.getMessage());
        Path missing = tmp.resolve("missing");
        ToolFailure gone = assertThrows(ToolFailure.class, () -> WorkspacePaths.root(context(missing)));
        assertEquals("The workspace directory does not exist: " + missing, gone.getMessage());
    }

    @Test
    void symlinkLoopFailsInsteadOfHanging() throws Exception {
        Files.createSymbolicLink(ws.resolve("loop1"), Path.of("loop2"));
        Files.createSymbolicLink(ws.resolve("loop2"), Path.of("loop1"));
        ToolFailure f = assertThrows(ToolFailure.class, () -> WorkspacePaths.resolve(root, "loop1/x"));
        assertEquals("Path cannot be resolved: loop1/x", f.getMessage());
    }
}
