package dev.nnsdk.zoo;

import dev.nnsdk.ModelLoadException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A model directory is a containment boundary: a file it names must be inside it (or inside the SDK's own
 * verified cache) after every symbolic link is resolved ({@code tokenizer.json -> /etc/passwd}, a linked sub-directory), not only
 * lexically (where {@code ../} is already refused).
 */
public final class Containment {
    private Containment() {
    }

    /**
     * Whether {@code file} (lexically inside {@code base}) is still inside it through real paths. A
     * file that does not exist yet is judged by its nearest existing ancestor.
     */
    public static boolean inside(Path base, Path file) {
        try {
            Path realBase = base.toRealPath();
            Path p = file.toAbsolutePath().normalize();
            while (p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                p = p.getParent();
            }
            if (p == null) {
                return true;
            }
            if (Files.isSymbolicLink(p) && !Files.exists(p)) {
                // a dangling link: where it points is outside by definition of not knowing
                Path to = p.getParent().resolve(Files.readSymbolicLink(p)).normalize();
                return to.startsWith(realBase);
            }
            Path real = p.toRealPath();
            return real.startsWith(realBase) || inCache(real);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The SDK's own cache ({@code SdkSettings.cacheDir()}) is the other place a model directory may link into: its
     * files were verified against their SHA-256 when they were put there (a directory assembled from zoo artifacts
     * links to them rather than copying hundreds of megabytes).
     */
    private static boolean inCache(Path real) {
        Path cache = dev.nnsdk.SdkSettings.cacheDir();
        try {
            return Files.isDirectory(cache) && real.startsWith(cache.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    /** Throws a {@link ModelLoadException} naming {@code where} when {@code file} escapes {@code dir}. */
    public static void require(Path dir, Path file, String where) {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !inside(dir, file)) {
            throw new ModelLoadException(where + ": " + dir.relativize(file) + " points outside the model directory "
                    + "through a symbolic link; refusing to open it");
        }
    }
}
