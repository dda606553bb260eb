package dev.nnsdk.training.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnsdk.InvalidInputException;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Reads and atomically writes {@code checkpoint.json} in a checkpoint directory. */
public final class Checkpoints {
    public static final String FILE = "checkpoint.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Checkpoints() {
    }

    /** Writes the state to a temporary file, syncs it, then renames it over the previous checkpoint. */
    public static void write(Path dir, TrainState s) {
        Path tmp = dir.resolve(FILE + ".part");
        try {
            Files.createDirectories(dir);
            try (OutputStream out = Files.newOutputStream(tmp)) {
                JSON.writeValue(out, s);
            }
            fsync(tmp);
            try {
                Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);   // never leave checkpoint.json.part behind (a full disk, a read-only parent)
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof RuntimeException) {
                throw (RuntimeException) e;
            }
            throw new UncheckedIOException("Cannot write checkpoint " + dir.resolve(FILE) + ": " + e.getMessage(),
                    (IOException) e);
        }
    }

    /** The checkpoint in {@code dir}, or {@code null} when there is none. */
    public static TrainState read(Path dir) {
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            return JSON.readValue(f.toFile(), TrainState.class);
        } catch (IOException e) {
            throw new InvalidInputException("Checkpoint " + f + " is unreadable (" + e.getMessage()
                    + "); delete it to train from scratch");
        }
    }

    static void fsync(Path p) throws IOException {
        try (FileChannel c = FileChannel.open(p, StandardOpenOption.WRITE)) {
            c.force(true);
        }
    }
}
