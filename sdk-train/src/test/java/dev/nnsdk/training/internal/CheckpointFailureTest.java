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
}
