package dev.nnsdk.cli;

import dev.nnsdk.InvalidInputException;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * An output file written to a temporary sibling and renamed over the target only by
 * {@link #commit()}: on any failure ({@link #close()} without commit) the temporary file is deleted
 * and no partial output is left behind.
 */
final class AtomicOutput implements Closeable {
    private final Path target;
    private final Path tmp;
    private final Writer writer;
    private boolean committed;

    AtomicOutput(Path target) throws IOException {
        this.target = target.toAbsolutePath();
        if (Files.isDirectory(this.target)) {
            throw new InvalidInputException("Output " + this.target + " is a directory; give a file name");
        }
        Path dir = this.target.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        this.tmp = Files.createTempFile(dir, "." + target.getFileName(), ".part");
        this.writer = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(tmp), StandardCharsets.UTF_8), 1 << 16);
    }

    Writer writer() {
        return writer;
    }

    /** Flushes and moves the file into place. */
    void commit() throws IOException {
        writer.close();
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        committed = true;
    }

    @Override
    public void close() throws IOException {
        if (!committed) {
            try {
                writer.close();
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
