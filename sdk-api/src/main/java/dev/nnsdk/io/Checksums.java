package dev.nnsdk.io;

import dev.nnsdk.ChecksumMismatchException;
import dev.nnsdk.ModelLoadException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.ConcurrentHashMap;

/** SHA-256 of files, and verification against recorded checksums (memoised per file size and time). */
public final class Checksums {

    private static final ConcurrentHashMap<String, String> VERIFIED = new ConcurrentHashMap<String, String>();

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
            String key = file.toAbsolutePath() + "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file).toMillis();
            if (expected.equals(VERIFIED.get(key))) {
                return;
            }
            String actual = sha256(file);
            if (!actual.equalsIgnoreCase(expected)) {
                throw new ChecksumMismatchException(file.toAbsolutePath(), expected, actual);
            }
            VERIFIED.put(key, expected);
        } catch (IOException e) {
            throw new ModelLoadException("Cannot read model file " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }
}
