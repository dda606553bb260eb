package dev.nnsdk.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * Lets a file in the SDK's own cache skip re-hashing at every start: once its SHA-256 has been verified,
 * a stamp {@code <file>.verified} records the checksum with the file's size, modification time (in
 * nanoseconds where the file system keeps them) and file key (device + inode on Unix). Later
 * verifications trust the file when all four still match, and hash it again otherwise.
 *
 * <p>Only files under the cache directory get stamps, because the SDK itself wrote them there (copied
 * after their checksum was verified, atomically renamed) and nothing else should change them: a file
 * truncated, rewritten, replaced or touched changes its size, time or key and is hashed again. A file
 * anywhere else (a user's model directory, shared assets) is hashed every time the process first uses
 * it, as before. Files without a file key (some non-Unix file systems) get no stamp.
 *
 * <pre>{@code
 * if (!VerificationStamp.trusted(cacheRoot, file, sha256)) { hash and compare; VerificationStamp.record(cacheRoot, file, sha256); }
 * }</pre>
 */
public final class VerificationStamp {

    /** Suffix of the stamp next to the verified file. */
    public static final String SUFFIX = ".verified";

    private VerificationStamp() {
    }

    /** True when {@code file} lies under {@code cacheRoot} and its stamp records {@code sha256} for its current size, time and key. */
    public static boolean trusted(Path cacheRoot, Path file, String sha256) {
        String expected = describe(cacheRoot, file, sha256);
        if (expected == null) {
            return false;
        }
        Path stamp = stampOf(file);
        try {
            return Files.isRegularFile(stamp)
                    && new String(Files.readAllBytes(stamp), StandardCharsets.UTF_8).equals(expected);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The checksum the stamp of {@code file} (under {@code cacheRoot}) records, when the stamp still matches the file's
     * size, time and key; null otherwise (no stamp, a changed file, outside the cache).
     */
    public static String recorded(Path cacheRoot, Path file) {
        Path stamp = stampOf(file);
        try {
            if (!Files.isRegularFile(stamp)) {
                return null;
            }
            String text = new String(Files.readAllBytes(stamp), StandardCharsets.UTF_8);
            if (!text.startsWith("sha256=") || text.indexOf('\n') < 0) {
                return null;
            }
            String sha = text.substring("sha256=".length(), text.indexOf('\n'));
            return text.equals(describe(cacheRoot, file, sha)) ? sha : null;
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /** Records that {@code file} (under {@code cacheRoot}) was just verified to have {@code sha256}; a no-op elsewhere. Never throws. */
    public static void record(Path cacheRoot, Path file, String sha256) {
        String text = describe(cacheRoot, file, sha256);
        if (text == null) {
            return;
        }
        Path stamp = stampOf(file);
        Path tmp = null;
        try {
            tmp = Files.createTempFile(stamp.getParent(), stamp.getFileName().toString(), ".part");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
            Files.move(tmp, stamp, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | UnsupportedOperationException e) {
            // A read-only cache just means hashing again next time.
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // nothing to do
                }
            }
        }
    }

    static Path stampOf(Path file) {
        return file.resolveSibling(file.getFileName().toString() + SUFFIX);
    }

    /** The stamp's text for the file as it is now, or null when it gets no stamp (outside the cache, no file key, unreadable). */
    static String describe(Path cacheRoot, Path file, String sha256) {
        if (cacheRoot == null || sha256 == null) {
            return null;
        }
        try {
            Path real = file.toRealPath();
            if (!Files.isDirectory(cacheRoot) || !real.startsWith(cacheRoot.toRealPath())) {
                return null;
            }
            BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class);
            if (a.fileKey() == null || !a.isRegularFile()) {
                return null;
            }
            return "sha256=" + sha256.toLowerCase(java.util.Locale.ROOT) + "\nsize=" + a.size()
                    + "\nmtimeNanos=" + a.lastModifiedTime().to(TimeUnit.NANOSECONDS) + "\nkey=" + a.fileKey() + "\n";
        } catch (IOException | SecurityException e) {
            return null;
        }
    }
}
