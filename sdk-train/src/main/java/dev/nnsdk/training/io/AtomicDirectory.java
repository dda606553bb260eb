package dev.nnsdk.training.io;

import dev.nnsdk.InvalidInputException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A directory built under a temporary sibling name and renamed into place only by
 * {@link #commit()}, after every file was synced: readers see no directory or a complete one.
 * An existing target is refused unless {@code overwrite}.
 */
public final class AtomicDirectory implements AutoCloseable {
    private final Path target;
    private final Path tmp;
    private final boolean overwrite;
    private boolean committed;

    public AtomicDirectory(Path target, boolean overwrite) throws IOException {
        this.target = target.toAbsolutePath().normalize();
        this.overwrite = overwrite;
        refuseExisting(this.target, overwrite);
        Path parent = this.target.getParent();
        Files.createDirectories(parent);
        this.tmp = Files.createTempDirectory(parent, "." + this.target.getFileName() + ".tmp-");
    }

    /** Fails when {@code target} exists and {@code overwrite} is false (call it before long work). */
    public static void refuseExisting(Path target, boolean overwrite) {
        if (Files.exists(target) && !overwrite) {
            throw new InvalidInputException("Output directory " + target + " already exists; choose another or pass --overwrite");
        }
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new InvalidInputException("Output " + target + " exists and is not a directory");
        }
    }

    /** Where to write the files. */
    public Path dir() {
        return tmp;
    }

    /** Syncs every file and renames the directory into place (replacing an old one when allowed). */
    public void commit() throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp)) {
            for (Path p : ds) {
                if (Files.isRegularFile(p)) {
                    try (FileChannel c = FileChannel.open(p, StandardOpenOption.WRITE)) {
                        c.force(true);
                    }
                }
            }
        }
        readable(tmp, "rwxr-xr-x");
        Path old = null;
        if (Files.exists(target)) {
            refuseExisting(target, overwrite);
            old = target.resolveSibling("." + target.getFileName() + ".old-" + System.nanoTime());
            Files.move(target, old);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target);
        }
        committed = true;
        if (old != null) {
            deleteTree(old);
        }
    }

    /** Temporary files and directories are private (0600/0700); the final output gets normal permissions. */
    static void readable(Path p, String perms) {
        try {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(perms));
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: keep the defaults
        }
    }

    @Override
    public void close() throws IOException {
        if (!committed) {
            deleteTree(tmp);
        }
    }

    /** Deletes a directory tree (no-op when absent). */
    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(q);
            }
        }
    }
}
