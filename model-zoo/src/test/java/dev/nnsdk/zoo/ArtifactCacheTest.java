package dev.nnsdk.zoo;

import dev.nnsdk.ChecksumMismatchException;
import dev.nnsdk.ModelLoadException;
import dev.nnsdk.io.Checksums;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArtifactCacheTest {

    private static final String RESOURCE = "dev/nnsdk/zoo/cache-test.bin";

    @TempDir
    Path cache;
    private String previous;
    private String sha;
    private byte[] content;

    @BeforeEach
    void useTempCache() throws IOException {
        previous = System.getProperty(dev.nnsdk.SdkSettings.CACHE_PROPERTY);
        System.setProperty(dev.nnsdk.SdkSettings.CACHE_PROPERTY, cache.toString());
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(RESOURCE)) {
            content = in.readAllBytes();
        }
        sha = Checksums.hex(Checksums.newDigest().digest(content));
    }

    @AfterEach
    void restore() {
        if (previous == null) {
            System.clearProperty(dev.nnsdk.SdkSettings.CACHE_PROPERTY);
        } else {
            System.setProperty(dev.nnsdk.SdkSettings.CACHE_PROPERTY, previous);
        }
    }

    private List<Path> allFiles() throws IOException {
        try (Stream<Path> s = Files.walk(cache)) {
            return s.filter(Files::isRegularFile).collect(Collectors.toList());
        }
    }

    @Test
    void extractsVerifiedCopyUnderItsChecksum() throws IOException {
        Path p = ArtifactCache.extract(RESOURCE, sha);
        assertEquals(cache.resolve("artifacts").resolve(sha).resolve("cache-test.bin"), p);
        assertArrayEquals(content, Files.readAllBytes(p));
        assertEquals(List.of(p), allFiles(), "no temporary file is left");
        assertEquals(p, ArtifactCache.extract(RESOURCE, sha), "second call reuses the copy");
    }

    @Test
    void wrongChecksumLeavesNothingBehind() throws IOException {
        String wrong = sha.substring(1) + (sha.charAt(0) == '0' ? '1' : '0');
        ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class, () -> ArtifactCache.extract(RESOURCE, wrong));
        assertTrue(e.getMessage().contains("classpath:" + RESOURCE) && e.getMessage().contains(wrong)
                && e.getMessage().contains(sha), e.getMessage());
        assertEquals(List.of(), allFiles(), "neither the target nor a .part file may exist");
    }

    @Test
    void missingResourceIsNamed() {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ArtifactCache.extract("no/such/model.onnx", sha));
        assertTrue(e.getMessage().contains("no/such/model.onnx"), e.getMessage());
    }

    @Test
    void concurrentExtractionsAllSeeTheCompleteFile() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Path>> fs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                fs.add(pool.submit((Callable<Path>) () -> ArtifactCache.extract(RESOURCE, sha)));
            }
            for (Future<Path> f : fs) {
                assertArrayEquals(content, Files.readAllBytes(f.get()));
            }
        } finally {
            pool.shutdownNow();
        }
        List<Path> files = allFiles();
        assertEquals(1, files.size(), files.toString());
        assertFalse(files.get(0).toString().endsWith(".part"));
    }
}
