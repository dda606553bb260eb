package dev.nnsdk.zoo;

import dev.nnsdk.ModelLoadException;
import dev.nnsdk.io.AtomicDirectory;
import dev.nnsdk.io.Checksums;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Extracts a verified model archive ({@code .zip}, {@code .tar.gz}, {@code .tgz}) into a cache directory,
 * atomically (a temporary sibling renamed when complete, see {@link AtomicDirectory}).
 *
 * <p>Refused, with the entry named: paths that escape the target (zip-slip, {@code ..}), absolute paths,
 * backslashes, symbolic and hard links, device files, duplicate entries, and the manifest's own name.
 * The SHA-256 of every extracted file is recorded in {@value #MANIFEST} inside the directory, so later
 * loads verify the extracted file like any other artifact.
 */
final class ArchiveExtractor {

    /** Name of the checksum manifest written into every extracted directory. */
    static final String MANIFEST = ".nnsdk-sha256sums";

    private ArchiveExtractor() {
    }

    static boolean isArchive(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".zip") || n.endsWith(".tar.gz") || n.endsWith(".tgz");
    }

    /** The directory name an archive extracts to: its name without the archive extension. */
    static String baseName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        int cut = n.endsWith(".tar.gz") ? 7 : n.endsWith(".tgz") ? 4 : n.endsWith(".zip") ? 4 : 0;
        String b = name.substring(0, name.length() - cut);
        return b.isEmpty() ? "archive" : b;
    }

    /**
     * Extracts {@code archive} into {@code target} unless already done, and returns the SHA-256 of every file
     * in it, by entry path ({@code /}-separated).
     *
     * @param source how errors name the archive (its URL or path)
     */
    static Map<String, String> extract(Path archive, Path target, String source) {
        synchronized (ArchiveExtractor.class) { // one extraction at a time in this JVM (AtomicDirectory: one writer per target)
            if (!Files.isDirectory(target)) {
                extractNow(archive, target, source);
            }
        }
        return readManifest(target, source);
    }

    private static void extractNow(Path archive, Path target, String source) {
        try {
            AtomicDirectory.write(target, false, dir -> {
                Map<String, String> sums = unpack(archive, dir, source);
                try (Writer w = Files.newBufferedWriter(dir.resolve(MANIFEST), StandardCharsets.UTF_8)) {
                    for (Map.Entry<String, String> e : sums.entrySet()) {
                        w.write(e.getValue() + "  " + e.getKey() + "\n");
                    }
                }
            });
        } catch (FileAlreadyExistsException e) {
            // another process extracted it meanwhile
        } catch (IOException e) {
            throw new ModelLoadException("Cannot extract archive " + source + " into " + target + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> readManifest(Path dir, String source) {
        Map<String, String> out = new LinkedHashMap<String, String>();
        Path m = dir.resolve(MANIFEST);
        try (BufferedReader r = Files.newBufferedReader(m, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                int sp = line.indexOf("  ");
                if (sp != 64) {
                    throw new ModelLoadException("Extracted archive " + dir + " has a damaged " + MANIFEST
                            + "; delete the directory to extract " + source + " again");
                }
                out.put(line.substring(sp + 2), line.substring(0, sp));
            }
        } catch (IOException e) {
            throw new ModelLoadException("Extracted archive " + dir + " has no readable " + MANIFEST + " (" + e.getMessage()
                    + "); delete the directory to extract " + source + " again", e);
        }
        return out;
    }

    private static Map<String, String> unpack(Path archive, Path dir, String source) throws IOException {
        String n = archive.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".zip") ? unzip(archive, dir, source) : untar(archive, dir, source);
    }

    private static Map<String, String> unzip(Path archive, Path dir, String source) throws IOException {
        Map<String, String> sums = new LinkedHashMap<String, String>();
        try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
            for (Enumeration<ZipArchiveEntry> en = zip.getEntriesInPhysicalOrder(); en.hasMoreElements(); ) {
                ZipArchiveEntry e = en.nextElement();
                if (e.isUnixSymlink()) {
                    throw refuse(source, e.getName(), "is a symbolic link");
                }
                Path out = place(dir, e.getName(), source);
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                if (!zip.canReadEntryData(e)) {
                    throw refuse(source, e.getName(), "uses an unsupported compression method or encryption");
                }
                try (InputStream in = zip.getInputStream(e)) {
                    sums.put(key(dir, out), write(in, out, source, e.getName()));
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ModelLoadException) {
                throw (ModelLoadException) e;
            }
            throw new ModelLoadException("Archive " + source + " is not a readable zip file: " + e.getMessage(), e);
        }
        return sums;
    }

    private static Map<String, String> untar(Path archive, Path dir, String source) throws IOException {
        Map<String, String> sums = new LinkedHashMap<String, String>();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive));
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(raw))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.isSymbolicLink() || e.isLink()) {
                    throw refuse(source, e.getName(), "is a " + (e.isLink() ? "hard" : "symbolic") + " link");
                }
                if (!e.isDirectory() && !e.isFile()) {
                    throw refuse(source, e.getName(), "is not a regular file or directory");
                }
                Path out = place(dir, e.getName(), source);
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    sums.put(key(dir, out), write(tar, out, source, e.getName()));
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ModelLoadException) {
                throw (ModelLoadException) e;
            }
            throw new ModelLoadException("Archive " + source + " is not a readable .tar.gz file: " + e.getMessage(), e);
        }
        return sums;
    }

    /** Where entry {@code name} goes, after refusing anything that would land outside {@code dir}. */
    static Path place(Path dir, String name, String source) {
        if (name == null || name.isEmpty() || name.indexOf('\0') >= 0) {
            throw refuse(source, String.valueOf(name), "has an empty or invalid name");
        }
        if (name.indexOf('\\') >= 0) {
            throw refuse(source, name, "contains a backslash");
        }
        if (name.startsWith("/") || (name.length() > 1 && name.charAt(1) == ':')) {
            throw refuse(source, name, "is an absolute path");
        }
        Path out;
        try {
            out = dir.resolve(name).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw refuse(source, name, "is not a valid path: " + e.getReason());
        }
        if (!out.startsWith(dir) || out.equals(dir)) {
            throw refuse(source, name, "escapes the extraction directory (zip-slip)");
        }
        if (out.getFileName().toString().equals(MANIFEST) && out.getParent().equals(dir)) {
            throw refuse(source, name, "has the name the SDK reserves for its checksum manifest");
        }
        return out;
    }

    private static String write(InputStream in, Path out, String source, String name) throws IOException {
        Files.createDirectories(out.getParent());
        if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
            throw refuse(source, name, "appears twice");
        }
        MessageDigest md = Checksums.newDigest();
        try (OutputStream os = new DigestOutputStream(Files.newOutputStream(out, StandardOpenOption.CREATE_NEW), md)) {
            in.transferTo(os);
        }
        return Checksums.hex(md.digest());
    }

    private static String key(Path dir, Path file) {
        return dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    private static ModelLoadException refuse(String source, String entry, String why) {
        return new ModelLoadException("Archive " + source + ": entry '" + entry + "' " + why + "; refusing to extract it");
    }
}
