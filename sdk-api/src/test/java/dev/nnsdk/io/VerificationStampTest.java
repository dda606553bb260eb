package dev.nnsdk.io;

import dev.nnsdk.ChecksumMismatchException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerificationStampTest {

    @TempDir
    Path tmp;

    private Path write(Path dir, String name, String text) throws Exception {
        Files.createDirectories(dir);
        Path f = dir.resolve(name);
        Files.write(f, text.getBytes(StandardCharsets.UTF_8));
        return f;
    }

    @Test
    void aStampedCacheFileIsTrustedUntilSizeTimeOrFileKeyChange() throws Exception {
        Path cache = tmp.resolve("cache");
        Path f = write(cache.resolve("artifacts/abc"), "model.onnx", "weights v1");
        String sha = Checksums.sha256(f);
        assertFalse(VerificationStamp.trusted(cache, f, sha), "no stamp yet");
        VerificationStamp.record(cache, f, sha);
        assertTrue(VerificationStamp.trusted(cache, f, sha));
        assertFalse(VerificationStamp.trusted(cache, f, sha.replace('a', 'b').replace('0', '1')), "another checksum is not trusted");

        // Rewritten in place with the same size: the modification time moves, so it is hashed again.
        FileTime before = Files.getLastModifiedTime(f);
        Files.write(f, "weights v2".getBytes(StandardCharsets.UTF_8));
        Files.setLastModifiedTime(f, FileTime.fromMillis(before.toMillis() + 5000));
        assertFalse(VerificationStamp.trusted(cache, f, sha));

        // Replaced by another file (new inode) with the same size and the stamped time: the file key differs.
        VerificationStamp.record(cache, f, sha);
        FileTime stamped = Files.getLastModifiedTime(f);
        Path other = write(f.getParent(), "other", "weights v3");
        Files.setLastModifiedTime(other, stamped);
        Files.move(other, f, StandardCopyOption.REPLACE_EXISTING);
        assertEquals(stamped, Files.getLastModifiedTime(f));
        assertFalse(VerificationStamp.trusted(cache, f, sha));
    }

    @Test
    void aValidStampGivesItsChecksumWithoutHashingAChangedFileGivesNone() throws Exception {
        Path cache = tmp.resolve("cache");
        Path f = write(cache.resolve("artifacts/def"), "model.onnx", "weights v1");
        assertEquals(null, VerificationStamp.recorded(cache, f), "no stamp yet");
        String sha = Checksums.sha256(f);
        VerificationStamp.record(cache, f, sha);
        assertEquals(sha, VerificationStamp.recorded(cache, f));
        FileTime before = Files.getLastModifiedTime(f);
        Files.write(f, "weights v2".getBytes(StandardCharsets.UTF_8));
        Files.setLastModifiedTime(f, FileTime.fromMillis(before.toMillis() + 5000));
        assertEquals(null, VerificationStamp.recorded(cache, f), "a rewritten file must be hashed again");
        Path outside = write(tmp.resolve("user"), "model.onnx", "weights v1");
        Files.copy(VerificationStamp.stampOf(f), VerificationStamp.stampOf(outside));
        assertEquals(null, VerificationStamp.recorded(cache, outside), "stamps count only inside the cache");
    }

    @Test
    void filesOutsideTheCacheNeverGetAStamp() throws Exception {
        Path cache = Files.createDirectories(tmp.resolve("cache"));
        Path f = write(tmp.resolve("user-model"), "model.onnx", "user weights");
        String sha = Checksums.sha256(f);
        VerificationStamp.record(cache, f, sha);
        assertFalse(Files.exists(VerificationStamp.stampOf(f)));
        assertFalse(VerificationStamp.trusted(cache, f, sha));
        // A symbolic link inside the cache that points outside it is judged by its target.
        Path link = cache.resolve("link.onnx");
        Files.createSymbolicLink(link, f);
        VerificationStamp.record(cache, link, sha);
        assertFalse(VerificationStamp.trusted(cache, link, sha));
    }

    @Test
    void checksumsVerifyWritesTheStampAndStillRefusesACorruptedCacheFile() throws Exception {
        Path cache = tmp.resolve("cache2");
        Path f = write(cache.resolve("artifacts/x"), "tokenizer.json", "{\"a\":1}");
        String sha = Checksums.sha256(f);
        String old = System.getProperty("sdk.cache.dir");
        System.setProperty("sdk.cache.dir", cache.toString());
        try {
            Checksums.verify(f, sha);
            assertTrue(VerificationStamp.trusted(cache, f, sha), "verified once: stamped");
            Files.write(f, "{\"a\":2,\"b\":3}".getBytes(StandardCharsets.UTF_8));
            assertThrows(ChecksumMismatchException.class, () -> Checksums.verify(f, sha));
        } finally {
            if (old == null) {
                System.clearProperty("sdk.cache.dir");
            } else {
                System.setProperty("sdk.cache.dir", old);
            }
        }
    }
}
