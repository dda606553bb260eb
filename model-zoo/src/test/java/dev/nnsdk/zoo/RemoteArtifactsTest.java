package dev.nnsdk.zoo;

import dev.nnsdk.ChecksumMismatchException;
import dev.nnsdk.ModelLoadException;
import dev.nnsdk.engine.ModelFormat;
import dev.nnsdk.io.Checksums;
import dev.nnsdk.repository.Artifact;
import dev.nnsdk.repository.ModelDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Remote artifacts against servers on loopback: a good download lands verified in the cache; a wrong
 * checksum, an HTTP error, a truncated body or a stalled server each fail naming the URL and leave
 * nothing in the cache; offline (the default) never opens a socket.
 */
class RemoteArtifactsTest {

    @TempDir
    Path tmp;

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String sha(byte[] b) {
        return Checksums.hex(Checksums.newDigest().digest(b));
    }

    /** A model directory whose model.json has one onnx artifact from {@code url}. */
    private Path modelDir(String url, String sha256, String entry) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("model"));
        String json = "{\"id\": \"remote\", \"task\": \"text-embedding\", \"artifacts\": {\"onnx\": {\"source\": \"" + url + "\""
                + (sha256 == null ? "" : ", \"sha256\": \"" + sha256 + "\"")
                + (entry == null ? "" : ", \"entry\": \"" + entry + "\"") + "}}}";
        Files.write(dir.resolve("model.json"), json.getBytes(StandardCharsets.UTF_8));
        return dir.resolve("model.json");
    }

    private static Artifact onnx(ModelDescriptor d) {
        return d.artifacts().get(ModelFormat.parse("onnx"));
    }

    private Path cache() {
        return tmp.resolve("cache");
    }

    /** Every file and directory in the cache (nothing may remain after a failed download). */
    private List<String> cacheContents() throws IOException {
        if (!Files.exists(cache())) {
            return new ArrayList<String>();
        }
        try (Stream<Path> s = Files.walk(cache())) {
            return s.filter(p -> !p.equals(cache()) && !p.equals(cache().resolve("artifacts")))
                    .map(p -> cache().relativize(p).toString()).collect(Collectors.toList());
        }
    }

    @Test
    void downloadsVerifiesAndCaches() throws Exception {
        byte[] body = bytes(300_000, 1);
        try (LoopbackServers.Http http = new LoopbackServers.Http(); ScopedSettings s = ScopedSettings.cache(cache()).online(5)) {
            http.bodies.put("/models/model.onnx", body);
            Path json = modelDir(http.url("/models/model.onnx"), sha(body).toUpperCase(), null);

            Artifact a = onnx(ZooResolver.readDescriptorFile(json));
            assertEquals(cache().resolve("artifacts").resolve(sha(body)).resolve("model.onnx"), a.path());
            assertArrayEquals(body, Files.readAllBytes(a.path()));
            assertEquals(sha(body), a.sha256());
            assertEquals(1, http.requests.get());

            // Cached: offline again, no request.
            s.set(dev.nnsdk.SdkSettings.OFFLINE_PROPERTY, "true");
            assertEquals(a.path(), onnx(ZooResolver.readDescriptorFile(json)).path());
            assertEquals(1, http.requests.get());
        }
    }

    @Test
    void wrongChecksumIsRefusedAndNothingIsKept() throws Exception {
        byte[] body = bytes(100_000, 2);
        try (LoopbackServers.Http http = new LoopbackServers.Http(); ScopedSettings s = ScopedSettings.cache(cache()).online(5)) {
            http.bodies.put("/model.onnx", body);
            String url = http.url("/model.onnx");
            String wrong = sha(bytes(10, 3));
            ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class,
                    () -> ZooResolver.readDescriptorFile(modelDir(url, wrong, null)));
            assertTrue(e.getMessage().contains(url) && e.getMessage().contains(wrong) && e.getMessage().contains(sha(body)),
                    e.getMessage());
            assertEquals(new ArrayList<String>(), cacheContents());
        }
    }

    @Test
    void httpErrorNamesTheUrlAndStatus() throws Exception {
        try (LoopbackServers.Http http = new LoopbackServers.Http(); ScopedSettings s = ScopedSettings.cache(cache()).online(5)) {
            String url = http.url("/nothing-here.onnx");
            ModelLoadException e = assertThrows(ModelLoadException.class,
                    () -> ZooResolver.readDescriptorFile(modelDir(url, sha(new byte[1]), null)));
            assertTrue(e.getMessage().contains(url) && e.getMessage().contains("HTTP status 404"), e.getMessage());
            assertEquals(new ArrayList<String>(), cacheContents());
        }
    }

    @Test
    void truncatedBodyIsRefused() throws Exception {
        try (LoopbackServers.Raw raw = new LoopbackServers.Raw(LoopbackServers.Misbehaviour.TRUNCATE, 100_000, 40_000);
             ScopedSettings s = ScopedSettings.cache(cache()).online(5)) {
            String url = raw.url("/model.onnx");
            ModelLoadException e = assertThrows(ModelLoadException.class,
                    () -> ZooResolver.readDescriptorFile(modelDir(url, sha(new byte[100_000]), null)));
            assertTrue(e.getMessage().contains(url), e.getMessage());
            assertTrue(e.getMessage().contains("broke off") || e.getMessage().contains("truncated"), e.getMessage());
            assertEquals(new ArrayList<String>(), cacheContents());
        }
    }

    @Test
    void stalledBodyTimesOut() throws Exception {
        try (LoopbackServers.Raw raw = new LoopbackServers.Raw(LoopbackServers.Misbehaviour.STALL_BODY, 100_000, 1_000);
             ScopedSettings s = ScopedSettings.cache(cache()).online(0.5)) {
            String url = raw.url("/model.onnx");
            ModelLoadException e = assertThrows(ModelLoadException.class,
                    () -> ZooResolver.readDescriptorFile(modelDir(url, sha(new byte[100_000]), null)));
            assertTrue(e.getMessage().contains(url) && e.getMessage().contains("stalled"), e.getMessage());
            assertEquals(new ArrayList<String>(), cacheContents());
        }
    }

    @Test
    void silentServerTimesOut() throws Exception {
        try (LoopbackServers.Raw raw = new LoopbackServers.Raw(LoopbackServers.Misbehaviour.STALL_HEADERS, 0, 0);
             ScopedSettings s = ScopedSettings.cache(cache()).online(0.5)) {
            String url = raw.url("/model.onnx");
            ModelLoadException e = assertThrows(ModelLoadException.class,
                    () -> ZooResolver.readDescriptorFile(modelDir(url, sha(new byte[1]), null)));
            assertTrue(e.getMessage().contains(url) && e.getMessage().contains("timed out"), e.getMessage());
            assertEquals(new ArrayList<String>(), cacheContents());
        }
    }

    @Test
    void remoteSourceNeedsAChecksum() throws Exception {
        try (ScopedSettings s = ScopedSettings.cache(cache()).online(5)) {
            Path json = modelDir("https://example.invalid/model.onnx", null, null);
            ModelLoadException e = assertThrows(ModelLoadException.class, () -> ZooResolver.readDescriptorFile(json));
            assertTrue(e.getMessage().contains("'artifacts.onnx.sha256'") && e.getMessage().contains(json.toString()),
                    e.getMessage());
        }
    }

    /** Offline by default: a descriptor with a URL fails with how to opt in, and no connection is ever made. */
    @Test
    void offlineModeNeverOpensASocket() throws Exception {
        assumeTrue(System.getenv(dev.nnsdk.SdkSettings.OFFLINE_ENV) == null, "SDK_OFFLINE is set in the environment");
        try (LoopbackServers.Raw raw = new LoopbackServers.Raw(LoopbackServers.Misbehaviour.CLOSE_AT_ONCE, 0, 0);
             ScopedSettings s = ScopedSettings.cache(cache()).set(dev.nnsdk.SdkSettings.OFFLINE_PROPERTY, null)) {
            String url = raw.url("/model.onnx");
            Path json = modelDir(url, sha(new byte[1]), null);
            for (int i = 0; i < 3; i++) {
                ModelLoadException e = assertThrows(ModelLoadException.class, () -> ZooResolver.readDescriptorFile(json));
                assertTrue(e.getMessage().contains(url) && e.getMessage().contains("sdk.offline=false")
                        && e.getMessage().contains("SDK_OFFLINE=false"), e.getMessage());
            }
            Thread.sleep(200);
            assertEquals(0, raw.accepts.get(), "offline mode connected to the server");
            assertEquals(new ArrayList<String>(), cacheContents());

            // Control: the same descriptor online does reach the server, so the zero above is meaningful.
            s.online(2);
            assertThrows(ModelLoadException.class, () -> ZooResolver.readDescriptorFile(json));
            assertTrue(raw.accepts.get() >= 1, "the control request did not reach the server");
        }
    }
}
