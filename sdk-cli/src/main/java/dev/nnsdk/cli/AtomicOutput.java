package dev.nnsdk.cli;

import dev.nnsdk.InvalidInputException;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one output writer of every command. What it does depends on what the target is:
 * <ul>
 *   <li><b>A regular file, or nothing yet</b>: the output goes to a temporary sibling
 *       {@code .NAME.<random>.part} and is renamed over the target only by {@link #commit()}, after an
 *       fsync; on any failure ({@link #close()} without commit), and on SIGINT/SIGTERM (a shutdown
 *       hook), the temporary file is deleted and the target is left as it was. A new file gets the
 *       permissions the umask gives ({@code 0644} with the usual {@code 022}); a replaced file keeps
 *       its own.</li>
 *   <li><b>A symbolic link</b>: written through. The link's final target is what is replaced (as
 *       above), the link itself stays. A dangling link is refused.</li>
 *   <li><b>A FIFO, a character or block device, a socket</b>: written straight into, never
 *       replaced (a temporary file and a rename would turn {@code /dev/null} into a regular file).
 *       What was written before a failure cannot be taken back there.</li>
 *   <li><b>A directory</b>: refused.</li>
 * </ul>
 * Every I/O error names the target file.
 */
final class AtomicOutput implements Closeable {
    private static final Set<Path> LIVE_TEMP_FILES = ConcurrentHashMap.newKeySet();

    static {
        Signals.onShutdown(AtomicOutput::deleteLiveTempFiles);
    }

    private final Path target;
    private final Path tmp;
    private final FileChannel channel;
    private final OutputStream stream;
    private Writer writer;
    private boolean done;

    AtomicOutput(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        Path real = abs;
        if (Files.isSymbolicLink(abs)) {
            try {
                real = abs.toRealPath();
            } catch (NoSuchFileException e) {
                throw new InvalidInputException("Output " + abs + " is a symbolic link to a file that does not exist ("
                        + Files.readSymbolicLink(abs) + ")");
            }
        }
        this.target = real;
        if (Files.isDirectory(real)) {
            throw new InvalidInputException("Output " + abs + " is a directory; give a file name");
        }
        boolean exists = Files.exists(real, LinkOption.NOFOLLOW_LINKS);
        if (exists && !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            // FIFO, device, socket: write into it, never replace it
            this.tmp = null;
            this.channel = null;
            Path device = real;
            this.stream = named(io(() -> Files.newOutputStream(device, StandardOpenOption.WRITE)));
            return;
        }
        Path dir = real.getParent();
        if (dir != null) {
            io(() -> Files.createDirectories(dir));
        }
        Path t = real.resolveSibling("." + real.getFileName() + "." + UUID.randomUUID().toString().substring(0, 8) + ".part");
        LIVE_TEMP_FILES.add(t);
        this.tmp = t;
        try {
            // no file attributes: the file system applies the umask to 0666, as for any program's new file
            this.channel = io(() -> FileChannel.open(t, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
            if (exists) {
                PosixFileAttributeView from = Files.getFileAttributeView(real, PosixFileAttributeView.class);
                if (from != null) {
                    Files.setPosixFilePermissions(t, from.readAttributes().permissions());
                }
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(t);
            LIVE_TEMP_FILES.remove(t);
            throw e;
        }
        this.stream = named(Channels.newOutputStream(channel));
    }

    /** The path finally written (a symbolic link resolved). */
    Path target() {
        return target;
    }

    /** The output as UTF-8 text (buffered). */
    Writer writer() {
        if (writer == null) {
            writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
        }
        return writer;
    }

    /** The output as bytes (unbuffered; use either this or {@link #writer()}). */
    OutputStream stream() {
        return stream;
    }

    /** Flushes and, for a regular file, syncs it and moves it into place. */
    void commit() throws IOException {
        if (writer != null) {
            writer.flush();
        }
        if (tmp == null) {
            stream.close();
            done = true;
            return;
        }
        io(() -> {
            channel.force(true);
            return null;
        });
        stream.close();
        io(() -> {
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return null;
        });
        LIVE_TEMP_FILES.remove(tmp);
        done = true;
    }

    @Override
    public void close() throws IOException {
        if (done) {
            return;
        }
        done = true;
        try {
            stream.close();
        } catch (IOException ignored) {
            // the failure that brought us here is the one to report
        } finally {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
                LIVE_TEMP_FILES.remove(tmp);
            }
        }
    }

    /** Deletes the temporary files of outputs not committed (the shutdown hook). */
    static void deleteLiveTempFiles() {
        for (Path p : LIVE_TEMP_FILES) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // best effort during shutdown
            }
        }
        LIVE_TEMP_FILES.clear();
    }

    private interface IoAction<T> {
        T run() throws IOException;
    }

    /** Runs {@code a}; an I/O error that does not name the target gets it prepended. */
    private <T> T io(IoAction<T> a) throws IOException {
        try {
            return a.run();
        } catch (IOException e) {
            throw withName(e);
        }
    }

    private IOException withName(IOException e) {
        String m = e.getMessage();
        if (e instanceof FileSystemException && m != null && m.contains(target.getFileName().toString())) {
            return e;
        }
        return new IOException(target + ": " + (m == null ? e.getClass().getSimpleName() : m), e);
    }

    /** A stream whose write errors (e.g. "No space left on device") name the target. */
    private OutputStream named(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                try {
                    out.write(b);
                } catch (IOException e) {
                    throw withName(e);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                try {
                    out.write(b, off, len);
                } catch (IOException e) {
                    throw withName(e);
                }
            }

            @Override
            public void flush() throws IOException {
                try {
                    out.flush();
                } catch (IOException e) {
                    throw withName(e);
                }
            }

            @Override
            public void close() throws IOException {
                try {
                    out.close();
                } catch (IOException e) {
                    throw withName(e);
                }
            }
        };
    }
}
