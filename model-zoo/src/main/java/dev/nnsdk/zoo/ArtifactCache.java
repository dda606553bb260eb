package dev.nnsdk.zoo;

import dev.nnsdk.ChecksumMismatchException;
import dev.nnsdk.ModelLoadException;
import dev.nnsdk.io.Checksums;
import dev.nnsdk.SdkSettings;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;

/**
 * Copies model files shipped as class-path resources (inside Maven jars) into the SDK cache
 * ({@code <cache>/artifacts/<sha256>/<name>}), so engines can memory-map them. The copy is written to
 * a temporary file, its checksum verified, then atomically renamed: a crash never leaves a partial
 * file under the final name.
 */
final class ArtifactCache {

    private ArtifactCache() {
    }

    static Path root() {
        return SdkSettings.cacheDir().resolve("artifacts");
    }

    /** The cached copy of resource {@code name} with checksum {@code sha256}, extracted on first use. */
    static Path extract(String name, String sha256) {
        String fileName = name.substring(name.lastIndexOf('/') + 1);
        Path dir = root().resolve(sha256);
        Path target = dir.resolve(fileName);
        if (Files.isRegularFile(target)) {
            return target;
        }
        ClassLoader cl = ArtifactCache.class.getClassLoader();
        try (InputStream in = cl.getResourceAsStream(name)) {
            if (in == null) {
                throw new ModelLoadException("Resource '" + name + "' is not on the class path (is the model jar a dependency?)");
            }
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, fileName, ".part");
            try {
                MessageDigest md = Checksums.newDigest();
                try (OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), md)) {
                    in.transferTo(out);
                }
                String actual = Checksums.hex(md.digest());
                if (!actual.equals(sha256)) {
                    throw new ChecksumMismatchException(Path.of("classpath:" + name), sha256, actual);
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            if (Files.isRegularFile(target)) {
                return target; // another process won the race
            }
            throw new ModelLoadException("Cannot copy model resource '" + name + "' into the cache " + dir + ": " + e.getMessage(), e);
        }
        return target;
    }
}
