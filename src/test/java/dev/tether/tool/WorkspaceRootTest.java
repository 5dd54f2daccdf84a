package dev.tether.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceRootTest {

    @TempDir
    Path tmp;
    Path root;
    Path outside;
    WorkspaceRoot workspace;

    @BeforeEach
    void setUp() throws Exception {
        tmp = tmp.toRealPath();
        root = Files.createDirectories(tmp.resolve("root"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createDirectories(root.resolve("proj"));
        workspace = new WorkspaceRoot(root);
    }

    @Test
    void directoriesInsideTheRootAreAcceptedAsTheirRealPath() throws Exception {
        Files.createSymbolicLink(root.resolve("alias"), Path.of("proj"));
        assertEquals(Optional.of(root), workspace.realInside(root));
        assertEquals(Optional.of(root.resolve("proj")), workspace.realInside(root.resolve("proj")));
        assertEquals(Optional.of(root.resolve("proj")), workspace.realInside(root.resolve("alias")));
        assertEquals(Optional.of(root.resolve("not-yet/deeper")), workspace.realInside(root.resolve("not-yet/deeper")));
    }

    @Test
    void directoriesLeadingOutAreRefusedWhateverTheRoute() throws Exception {
        Files.createSymbolicLink(root.resolve("out"), outside);
        Files.createSymbolicLink(root.resolve("dangling"), outside.resolve("missing"));
        Files.createSymbolicLink(root.resolve("loop"), Path.of("loop"));
        Files.createSymbolicLink(root.resolve("up"), Path.of(".."));
        for (Path p : new Path[] {outside, Path.of("/"), root.resolve("../outside"), tmp.resolve("rootx"),
                root.resolve("out"), root.resolve("out/sub"), root.resolve("dangling"), root.resolve("loop"),
                root.resolve("up/outside"), Path.of("/proc/self/root" + outside)}) {
            assertEquals(Optional.empty(), workspace.realInside(p), p.toString());
        }
    }

    @Test
    void aRootReachedThroughASymlinkIsComparedByItsRealPath() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("root-link"), root);
        WorkspaceRoot viaLink = new WorkspaceRoot(link);
        assertEquals(root, viaLink.real());
        assertEquals(Optional.of(root.resolve("proj")), viaLink.realInside(link.resolve("proj")));
        assertEquals(Optional.of(root.resolve("proj")), viaLink.realInside(root.resolve("proj")));
    }

    @Test
    void requireInsideIsA403WorkspaceEscapeProblem() {
        assertEquals(root.resolve("proj"), workspace.requireInside(root.resolve("proj").toString()));
        WorkspaceEscapeException e = assertThrows(WorkspaceEscapeException.class,
                () -> workspace.requireInside(outside));
        assertEquals(403, e.status());
        assertEquals("workspace-escape", e.problemType());
        assertTrue(e.getMessage().contains(outside.toString()), e.getMessage());
        assertThrows(WorkspaceEscapeException.class, () -> workspace.requireInside("bad\u0000path"));
    }

    @Test
    void toolsRefuseASessionDirectoryOutsideTheRoot() {
        ToolContext context = new ToolContext("s", "c", outside, workspace, false, false, () -> false,
                ToolContext.OutputSink.NONE);
        ToolFailure f = assertThrows(ToolFailure.class, () -> WorkspacePaths.root(context));
        assertEquals("The session directory lies outside the workspace root (or cannot be resolved): " + outside
                + "; tools refuse to use it.", f.getMessage());
        ToolContext noRoot = new ToolContext("s", "c", root, null, false, false, () -> false,
                ToolContext.OutputSink.NONE);
        assertThrows(ToolFailure.class, () -> WorkspacePaths.root(noRoot));
    }
}
