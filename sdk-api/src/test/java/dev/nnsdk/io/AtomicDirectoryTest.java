package dev.nnsdk.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtomicDirectoryTest {

    private static void put(Path dir, String name, String text) throws IOException {
        Files.write(dir.resolve(name), text.getBytes(StandardCharsets.UTF_8));
    }

    private static String get(Path dir, String name) throws IOException {
        return new String(Files.readAllBytes(dir.resolve(name)), StandardCharsets.UTF_8);
    }

    private static long entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void writesReplacesAndRefuses(@TempDir Path tmp) throws IOException {
        Path target = tmp.resolve("out").resolve("m");
        AtomicDirectory.write(target, false, d -> put(d, "a.txt", "one"));
        assertEquals("one", get(target, "a.txt"));

        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
                () -> AtomicDirectory.write(target, false, d -> put(d, "a.txt", "two")));
        assertTrue(e.getMessage().contains(target.toString()), e.getMessage());
        assertEquals("one", get(target, "a.txt"));

        AtomicDirectory.write(target, true, d -> put(d, "b.txt", "two"));
        assertEquals("two", get(target, "b.txt"));
        assertFalse(Files.exists(target.resolve("a.txt")), "the old version's files must be gone");
        assertEquals(1, entries(target.getParent()), "only the target remains beside it");
    }

    /** Issue 15 item 8: the API's refusal tells an API caller what to do (save(dir, true)), not only the CLI's flag. */
    @Test
    void refuseExistingNamesTheTargetAndTheApiWayToReplaceIt(@TempDir Path tmp) throws IOException {
        Path target = Files.createDirectories(tmp.resolve("m"));
        dev.nnsdk.InvalidInputException e = assertThrows(dev.nnsdk.InvalidInputException.class,
                () -> AtomicDirectory.refuseExisting(target, false));
        assertTrue(e.getMessage().contains(target + " already exists") && e.getMessage().contains("save(dir, true)"),
                e.getMessage());
        AtomicDirectory.refuseExisting(target, true);
        AtomicDirectory.refuseExisting(tmp.resolve("new"), false);
        Path file = Files.write(tmp.resolve("f"), new byte[0]);
        e = assertThrows(dev.nnsdk.InvalidInputException.class, () -> AtomicDirectory.refuseExisting(file, true));
        assertTrue(e.getMessage().contains(file + " exists and is not a directory"), e.getMessage());
    }

    @Test
    void failedWriteKeepsOldVersionAndLeavesNothing(@TempDir Path tmp) throws IOException {
        Path target = tmp.resolve("m");
        AtomicDirectory.write(target, false, d -> put(d, "a.txt", "old"));
        IOException e = assertThrows(IOException.class, () -> AtomicDirectory.write(target, true, d -> {
            put(d, "a.txt", "half");
            throw new IOException("disk full (simulated)");
        }));
        assertEquals("disk full (simulated)", e.getMessage());
        assertEquals("old", get(target, "a.txt"));
        assertEquals(1, entries(tmp));

        assertThrows(IllegalStateException.class, () -> AtomicDirectory.write(tmp.resolve("n"), false, d -> {
            throw new IllegalStateException("bug in the writer");
        }));
        assertFalse(Files.exists(tmp.resolve("n")));
        assertEquals(1, entries(tmp));
    }

    @Test
    void recoverRestoresTheOldVersionAfterACrashBetweenTheRenames(@TempDir Path tmp) throws IOException {
        Path target = tmp.resolve("m");
        Path old = tmp.resolve(".m.old");
        Files.createDirectory(old);
        put(old, "a.txt", "old");
        Files.createDirectory(tmp.resolve(".m.tmp-123"));
        put(tmp.resolve(".m.tmp-123"), "a.txt", "partial");

        AtomicDirectory.recover(target);
        assertEquals("old", get(target, "a.txt"));
        assertEquals(1, entries(tmp));
    }
}
