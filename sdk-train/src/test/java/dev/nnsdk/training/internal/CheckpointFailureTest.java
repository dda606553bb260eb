package dev.nnsdk.training.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 17 item 8: a checkpoint that cannot be written names the file and leaves no {@code checkpoint.json.part}. */
class CheckpointFailureTest {

    @Test
    void aFailedCheckpointWriteLeavesNoPartFile(@TempDir Path dir) throws IOException {
        // the rename cannot replace a non-empty directory (as a full disk or a read-only parent, the write fails;
        // this one fails for root too)
        Files.createDirectories(dir.resolve("checkpoint.json").resolve("x"));
        TrainState s = new TrainState();
        s.epochsDone = 1;
        s.params.add(new float[] {1, 2, 3});
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Checkpoints.write(dir, s));
        assertTrue(e.getMessage().contains(dir.resolve("checkpoint.json").toString()), e.getMessage());
        assertFalse(Files.exists(dir.resolve("checkpoint.json.part")), "checkpoint.json.part left behind");
    }

    /** The same on a real full disk: a 64 KiB tmpfs (root only; skipped elsewhere, saying why). */
    @Test
    void aCheckpointOnAFullDiskNamesTheFileAndLeavesNoPartFile(@TempDir Path dir) throws Exception {
        Path small = Files.createDirectory(dir.resolve("small-disk"));
        org.junit.jupiter.api.Assumptions.assumeTrue(sh("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", small.toString()),
                "cannot mount a small tmpfs here (needs root)");
        try {
            TrainState s = new TrainState();
            s.epochsDone = 1;
            s.params.add(new float[100_000]);   // far more than 64 KiB once written
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Checkpoints.write(small, s));
            assertTrue(e.getMessage().contains(small.resolve("checkpoint.json").toString()), e.getMessage());
            try (java.util.stream.Stream<Path> left = Files.list(small)) {
                assertTrue(left.count() == 0, "files left on the full disk");
            }
        } finally {
            sh("umount", small.toString());
        }
    }

    private static boolean sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }
}
