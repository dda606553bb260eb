package dev.nnsdk.zoo;


import dev.nnsdk.ModelLoadException;
import dev.nnsdk.engine.ModelFormat;
import dev.nnsdk.io.Checksums;
import dev.nnsdk.repository.Artifact;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Model archives: extracted atomically into the cache; hand-made malicious archives are refused. */
class ArchiveExtractorTest {

    @TempDir
    Path tmp;

    private static final byte[] MODEL = "not really onnx, but bytes".getBytes(StandardCharsets.UTF_8);

    private static String sha(byte[] b) {
        return Checksums.hex(Checksums.newDigest().digest(b));
    }

    private static byte[] zip(String... namesAndContents) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bos)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                z.putNextEntry(new ZipEntry(namesAndContents[i]));
                z.write(namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return bos.toByteArray();
    }

    private static byte[] zipWithSymlink(String name, String linkTarget) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream z = new ZipArchiveOutputStream(bos)) {
            ZipArchiveEntry e = new ZipArchiveEntry(name);
            e.setUnixMode(0120777);
            z.putArchiveEntry(e);
            z.write(linkTarget.getBytes(StandardCharsets.UTF_8));
            z.closeArchiveEntry();
        }
        return bos.toByteArray();
    }

    private static byte[] tarGz(TarArchiveEntry e, byte[] content) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (OutputStream gz = new GzipCompressorOutputStream(bos); TarArchiveOutputStream t = new TarArchiveOutputStream(gz)) {
            if (content != null) {
                e.setSize(content.length);
            }
            t.putArchiveEntry(e);
            if (content != null) {
                t.write(content);
            }
            t.closeArchiveEntry();
        }
        return bos.toByteArray();
    }

    /** A model directory with archive {@code name} and a model.json naming it (and {@code entry}). */
    private Path modelDir(String name, byte[] archive, String entry) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("model"));
        Files.write(dir.resolve(name), archive);
        String json = "{\"id\": \"zipped\", \"task\": \"text-embedding\", \"artifacts\": {\"onnx\": {\"source\": \"" + name
                + "\", \"sha256\": \"" + sha(archive) + "\"" + (entry == null ? "" : ", \"entry\": \"" + entry + "\"") + "}}}";
        Files.write(dir.resolve("model.json"), json.getBytes(StandardCharsets.UTF_8));
        return dir.resolve("model.json");
    }

    private long cacheEntries() throws IOException {
        Path artifacts = tmp.resolve("cache").resolve("artifacts");
        if (!Files.exists(artifacts)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(artifacts)) {
            return s.filter(p -> !p.equals(artifacts)).filter(p -> !p.getParent().equals(artifacts)).count();
        }
    }

    @Test
    void zipIsExtractedIntoTheCacheAndTheEntryVerified() throws Exception {
        byte[] z = zip("weights/", "", "weights/model.onnx", new String(MODEL, StandardCharsets.UTF_8), "README.txt", "hi");
        try (ScopedSettings s = ScopedSettings.cache(tmp.resolve("cache"))) {
            Path json = modelDir("bundle.zip", z, "weights/model.onnx");
            Artifact a = ZooResolver.readDescriptorFile(json).artifacts().get(ModelFormat.parse("onnx"));
            Path expected = tmp.resolve("cache").resolve("artifacts").resolve(sha(z)).resolve("bundle").resolve("weights").resolve("model.onnx");
            assertEquals(expected, a.path());
            assertArrayEquals(MODEL, Files.readAllBytes(a.path()));
            assertEquals(sha(MODEL), a.sha256());
            // Second resolution reuses the extracted directory.
            assertEquals(expected, ZooResolver.readDescriptorFile(json).artifacts().get(ModelFormat.parse("onnx")).path());

            ModelLoadException e = assertThrows(ModelLoadException.class,
                    () -> ZooResolver.readDescriptorFile(modelDir("bundle.zip", z, "weights/other.onnx")));
            assertTrue(e.getMessage().contains("'artifacts.onnx.entry'") && e.getMessage().contains("weights/model.onnx"),
                    e.getMessage());
        }
    }

    @Test
    void tarGzIsExtracted() throws Exception {
        byte[] t = tarGz(new TarArchiveEntry("model.onnx"), MODEL);
        try (ScopedSettings s = ScopedSettings.cache(tmp.resolve("cache"))) {
            Artifact a = ZooResolver.readDescriptorFile(modelDir("m.tar.gz", t, "model.onnx")).artifacts().get(ModelFormat.parse("onnx"));
            assertArrayEquals(MODEL, Files.readAllBytes(a.path()));
            assertEquals(sha(MODEL), a.sha256());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"../evil.txt", "a/../../evil.txt", "/tmp/evil.txt", "C:/evil.txt", "a\\..\\..\\evil.txt", "..",
            ".nnsdk-sha256sums"})
    void maliciousZipEntriesAreRefused(String name) throws Exception {
        byte[] z = zip("ok.txt", "fine", name, "evil");
        try (ScopedSettings s = ScopedSettings.cache(tmp.resolve("cache"))) {
            ModelLoadException e = assertThrows(ModelLoadException.class,
                    () -> ZooResolver.readDescriptorFile(modelDir("bad.zip", z, null)));
            // (commons-compress reads DOS-style backslashes as '/', so the entry is named in its '/' form)
            assertTrue(e.getMessage().contains("entry '" + name.replace('\\', '/') + "'") && e.getMessage().contains("bad.zip"),
                    e.getMessage());
        }
        assertEquals(0, cacheEntries(), "a refused archive left files in the cache");
        assertFalse(Files.exists(tmp.resolve("evil.txt")));
        assertFalse(Files.exists(tmp.resolve("cache").resolve("evil.txt")));
    }

    @Test
    void zipSymlinkIsRefused() throws Exception {
        byte[] z = zipWithSymlink("model.onnx", "/etc/passwd");
        try (ScopedSettings s = ScopedSettings.cache(tmp.resolve("cache"))) {
            ModelLoadException e = assertThrows(ModelLoadException.class,
                    () -> ZooResolver.readDescriptorFile(modelDir("link.zip", z, "model.onnx")));
            assertTrue(e.getMessage().contains("entry 'model.onnx' is a symbolic link"), e.getMessage());
        }
        assertEquals(0, cacheEntries());
    }

    @Test
    void tarLinksAndEscapesAreRefused() throws Exception {
        TarArchiveEntry sym = new TarArchiveEntry("model.onnx", TarArchiveEntry.LF_SYMLINK);
        sym.setLinkName("/etc/passwd");
        TarArchiveEntry hard = new TarArchiveEntry("model.onnx", TarArchiveEntry.LF_LINK);
        hard.setLinkName("../../outside");
        try (ScopedSettings s = ScopedSettings.cache(tmp.resolve("cache"))) {
            ModelLoadException e1 = assertThrows(ModelLoadException.class,
                    () -> ZooResolver.readDescriptorFile(modelDir("s.tar.gz", tarGz(sym, null), null)));
            assertTrue(e1.getMessage().contains("is a symbolic link"), e1.getMessage());
            ModelLoadException e2 = assertThrows(ModelLoadException.class,
                    () -> ZooResolver.readDescriptorFile(modelDir("h.tgz", tarGz(hard, null), null)));
            assertTrue(e2.getMessage().contains("is a hard link"), e2.getMessage());
            ModelLoadException e3 = assertThrows(ModelLoadException.class,
                    () -> ZooResolver.readDescriptorFile(modelDir("e.tar.gz", tarGz(new TarArchiveEntry("../../x.onnx", true), MODEL), null)));
            assertTrue(e3.getMessage().contains("zip-slip") || e3.getMessage().contains("escapes"), e3.getMessage());
        }
        assertEquals(0, cacheEntries());
    }

    @Test
    void corruptArchivesFailWithTheirName() throws Exception {
        byte[] notZip = "PK\u0003\u0004 this is not a zip".getBytes(StandardCharsets.ISO_8859_1);
        try (ScopedSettings s = ScopedSettings.cache(tmp.resolve("cache"))) {
            ModelLoadException e = assertThrows(ModelLoadException.class,
                    () -> ZooResolver.readDescriptorFile(modelDir("junk.zip", notZip, null)));
            assertTrue(e.getMessage().contains("junk.zip"), e.getMessage());
            ModelLoadException e2 = assertThrows(ModelLoadException.class,
                    () -> ZooResolver.readDescriptorFile(modelDir("junk.tar.gz", notZip, null)));
            assertTrue(e2.getMessage().contains("junk.tar.gz"), e2.getMessage());
        }
        assertEquals(0, cacheEntries());
    }

    @Test
    void archiveDownloadedFromAUrl() throws Exception {
        byte[] z = zip("model.onnx", new String(MODEL, StandardCharsets.UTF_8));
        try (LoopbackServers.Http http = new LoopbackServers.Http(); ScopedSettings s = ScopedSettings.cache(tmp.resolve("cache")).online(5)) {
            http.bodies.put("/m.zip", z);
            Path dir = Files.createDirectories(tmp.resolve("remote"));
            Files.write(dir.resolve("model.json"), ("{\"id\": \"r\", \"task\": \"text-embedding\", \"artifacts\": {\"onnx\": {\"source\": \""
                    + http.url("/m.zip") + "\", \"sha256\": \"" + sha(z) + "\", \"entry\": \"model.onnx\"}}}").getBytes(StandardCharsets.UTF_8));
            Artifact a = ZooResolver.readDescriptorFile(dir.resolve("model.json")).artifacts().get(ModelFormat.parse("onnx"));
            assertArrayEquals(MODEL, Files.readAllBytes(a.path()));
            assertTrue(a.path().startsWith(tmp.resolve("cache")));
        }
    }
}
