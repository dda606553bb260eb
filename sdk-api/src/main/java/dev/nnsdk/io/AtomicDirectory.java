package dev.nnsdk.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes a whole directory so that a crash (even {@code kill -9}) at any moment leaves either the old
 * version or the new one, never a mix or a half-written one.
 *
 * <p>The content is written into a temporary sibling ({@code .NAME.tmp-UUID}), every file and directory
 * is fsync'ed, then the temporary directory is renamed to the target. To replace an existing target, the
 * old version is first renamed aside ({@code .NAME.old}), the new one renamed in, and the old one deleted.
 * A crash between those two renames leaves only {@code .NAME.old}: {@link #recover(Path)} (called by
 * {@link #write} and to be called by readers before they read) puts it back, and deletes abandoned
 * temporary directories. One writer per target at a time.
 *
 * <pre>{@code
 * AtomicDirectory.write(Path.of("out/sentiment"), true, dir -> {
 *     Files.write(dir.resolve("weights.bin"), bytes);
 *     Files.write(dir.resolve("model.json"), json);
 * });
 * // a reader:
 * AtomicDirectory.recover(dir);
 * }</pre>
 */
public final class AtomicDirectory {

    /** Fills the (empty, temporary) directory it is given. */
    public interface Content {
        void writeTo(Path dir) throws IOException;
    }

    private static final String TMP_INFIX = ".tmp-";
    private static final String OLD_SUFFIX = ".old";

    private AtomicDirectory() {
    }

    /**
     * Writes {@code target} atomically with what {@code content} puts in an empty directory.
     *
     * @param overwrite replace an existing target (else an existing target is refused)
     * @return {@code target}
     * @throws FileAlreadyExistsException when the target exists and {@code overwrite} is false
     * @throws IOException when writing fails; the target is then left as it was and nothing else remains
     */
    public static Path write(Path target, boolean overwrite, Content content) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (parent == null) {
            throw new IOException("Cannot write a directory at the file-system root: " + target);
        }
        Files.createDirectories(parent);
        recover(abs);
        if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS) && !overwrite) {
            throw new FileAlreadyExistsException(target.toString(), null, "already exists; pass overwrite to replace it");
        }
        String name = abs.getFileName().toString();
        Path tmp = parent.resolve("." + name + TMP_INFIX + UUID.randomUUID());
        Files.createDirectory(tmp);
        boolean done = false;
        try {
            content.writeTo(tmp);
            syncTree(tmp);
            if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
                if (!overwrite) {
                    throw new FileAlreadyExistsException(target.toString(), null, "appeared while writing");
                }
                Path old = parent.resolve("." + name + OLD_SUFFIX);
                move(abs, old);
                syncDir(parent);
                move(tmp, abs);
                syncDir(parent);
                deleteTree(old);
            } else {
                move(tmp, abs);
                syncDir(parent);
            }
            done = true;
            return target;
        } finally {
            if (!done) {
                deleteTree(tmp);
                recover(abs);
            }
        }
    }

    /**
     * Fails early, before long work, when {@code target} exists and may not be replaced, or exists and is not a
     * directory.
     *
     * @throws dev.nnsdk.InvalidInputException naming the target
     */
    public static void refuseExisting(Path target, boolean overwrite) {
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new dev.nnsdk.InvalidInputException("Output " + target + " exists and is not a directory");
        }
        if (Files.exists(target) && !overwrite) {
            throw new dev.nnsdk.InvalidInputException("Output directory " + target
                    + " already exists; choose another or allow overwriting (--overwrite)");
        }
    }

    /**
     * For readers: when a crash fell between the two renames of a replacement (the target is missing and its
     * old version is still there), puts the old version back. Unlike {@link #recover} it never touches
     * temporary directories, so it is safe while a writer works.
     */
    public static void restoreInterrupted(Path target) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (parent == null || Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path old = parent.resolve("." + abs.getFileName() + OLD_SUFFIX);
        if (Files.exists(old, LinkOption.NOFOLLOW_LINKS)) {
            move(old, abs);
            syncDir(parent);
        }
    }

    /**
     * Brings {@code target} back to a complete version after a crash: restores the old version when the
     * crash fell between the two renames of a replacement, and deletes abandoned temporary directories.
     * Cheap when there is nothing to do. Must not run while another thread or process writes the target.
     */
    public static void recover(Path target) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return;
        }
        String name = abs.getFileName().toString();
        Path old = parent.resolve("." + name + OLD_SUFFIX);
        if (Files.exists(old, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
                deleteTree(old); // the new version is complete: the old one was about to be deleted
            } else {
                move(old, abs);
                syncDir(parent);
            }
        }
        List<Path> stale = new ArrayList<Path>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, "." + globEscape(name) + TMP_INFIX + "*")) {
            for (Path p : ds) {
                stale.add(p);
            }
        }
        for (Path p : stale) {
            deleteTree(p);
        }
    }

    /** Deletes a file or a directory tree (symbolic links are deleted, not followed); no error when absent. */
    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(p, new SimpleFileVisitor<Path>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                if (exc instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw exc;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("The file system of " + to.getParent() + " cannot rename atomically; "
                    + "choose another output directory", e);
        }
    }

    /** fsync of every regular file and directory under {@code root}, children before parents. */
    private static void syncTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<Path>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                        ch.force(true);
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                syncDir(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** fsync of a directory's entries, where the platform allows it (Linux, macOS; not Windows). */
    private static void syncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Directories cannot be opened on some platforms; the renames are still atomic there.
        }
    }

    private static String globEscape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ("*?[]{}\\".indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
