package dev.nnsdk.io;

import dev.nnsdk.ChecksumMismatchException;
import dev.nnsdk.ModelLoadException;
import dev.nnsdk.SdkSettings;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SHA-256 of files, and verification against recorded checksums (memoised per file size and time; for files in
 * the SDK cache also across processes, see {@link VerificationStamp}).
 */
public final class Checksums {

    /** Checksums (lower-case hex) this process knows, by {@link #stateKey}: hashed, verified or read from a stamp. */
    private static final ConcurrentHashMap<String, String> KNOWN = new ConcurrentHashMap<String, String>();

    private Checksums() {
    }

    /** Lower-case hex SHA-256 of a file. */
    public static String sha256(Path file) throws IOException {
        MessageDigest md = newDigest();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return hex(md.digest());
    }

    /**
     * {@link #sha256(Path)}, without reading the file again when this process hashed it already (same size and time)
     * or when it lies in the SDK's cache with a {@link VerificationStamp} that still matches it; a file in the cache
     * hashed here gets a stamp. For keys derived from a model file at every start (the graph optimiser's cache).
     */
    public static String sha256Known(Path file) throws IOException {
        String key = stateKey(file);
        String known = KNOWN.get(key);
        if (known != null) {
            return known;
        }
        Path cache = SdkSettings.cacheDir();
        known = VerificationStamp.recorded(cache, file);
        if (known == null) {
            known = sha256(file);
            VerificationStamp.record(cache, file, known);
        }
        KNOWN.put(key, known);
        return known;
    }

    /** The file as this process last saw it: path, size and modification time. */
    private static String stateKey(Path file) throws IOException {
        return file.toAbsolutePath() + "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file).toMillis();
    }

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    public static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }

    /**
     * Checks that {@code file} exists and has SHA-256 {@code expected} (no check when {@code expected} is null).
     *
     * @throws ModelLoadException when the file is missing or unreadable
     * @throws ChecksumMismatchException when the checksum differs
     */
    public static void verify(Path file, String expected) {
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException("Model file " + file.toAbsolutePath() + " is missing");
        }
        if (expected == null) {
            return;
        }
        try {
            String key = stateKey(file);
            if (expected.equalsIgnoreCase(KNOWN.get(key))) {
                return;
            }
            // A file in the SDK's own cache, verified once before, is trusted while size, time and file key match.
            Path cache = SdkSettings.cacheDir();
            if (VerificationStamp.trusted(cache, file, expected)) {
                KNOWN.put(key, expected.toLowerCase(java.util.Locale.ROOT));
                return;
            }
            String actual = sha256(file);
            if (!actual.equalsIgnoreCase(expected)) {
                throw new ChecksumMismatchException(file.toAbsolutePath(), expected, actual);
            }
            KNOWN.put(key, actual);
            VerificationStamp.record(cache, file, expected);
        } catch (IOException e) {
            throw new ModelLoadException("Cannot read model file " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }
}
