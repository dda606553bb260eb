package dev.nnsdk.format;

import dev.nnsdk.io.Checksums;

import dev.nnsdk.ModelLoadException;
import dev.nnsdk.repository.Artifact;
import dev.nnsdk.repository.HeadSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17 items 5 and 10: counts in a binary header are checked against the bytes left before
 * anything is allocated (a claimed 2^31-1 items ended in an OutOfMemoryError, 400,000,000 users cost
 * 1.67 GB), and a head without a recorded SHA-256 is refused.
 */
class BinaryHeaderTest {

    /** A recommender.bin header: magic, version, dim, backbone, featureDim, then the user count. */
    private static byte[] recommenderHeader(int dim, int users, boolean itemsInstead) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bo);
        out.write("NNREC".getBytes(StandardCharsets.US_ASCII));
        out.writeInt(1);
        out.writeInt(dim);
        byte[] bb = "all-minilm-l6-v2".getBytes(StandardCharsets.UTF_8);
        out.writeInt(bb.length);
        out.write(bb);
        out.writeInt(384);
        if (itemsInstead) {
            out.writeInt(0);          // no users
            out.writeInt(users);      // the item count
        } else {
            out.writeInt(users);
        }
        out.write(new byte[64]);      // a little body
        out.flush();
        return bo.toByteArray();
    }

    @Test
    void hugeCountsInARecommenderHeaderAreRefusedBeforeAllocation() throws IOException {
        long before = usedHeap();
        for (byte[] file : Arrays.asList(recommenderHeader(64, Integer.MAX_VALUE, false),
                recommenderHeader(64, 400_000_000, false), recommenderHeader(64, Integer.MAX_VALUE, true),
                recommenderHeader(Integer.MAX_VALUE, 1, false))) {
            ModelLoadException e = assertThrows(ModelLoadException.class,
                    () -> RecommenderWeights.read(new ByteArrayInputStream(file), file.length, "recommender.bin"));
            assertTrue(e.getMessage().startsWith("recommender.bin: "), e.getMessage());
            assertTrue(e.getMessage().contains("bytes are left in the file") || e.getMessage().contains("too large"),
                    e.getMessage());
        }
        // nothing near the claimed sizes was allocated (400,000,000 users alone were 1.6 GB of String[])
        assertTrue(usedHeap() - before < 200L << 20, "heap grew by " + (usedHeap() - before));
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    @Test
    void aHeadWithoutARecordedChecksumIsRefused(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("head.bin");
        try (java.io.OutputStream out = Files.newOutputStream(file)) {
            new HeadWeights(new float[][] {{1, 2, 3, 4}}, new float[][] {{0, 0}}, new int[] {2}).write(out);
        }
        HeadSpec spec = new HeadSpec("linear", new Artifact(file, null), Arrays.asList("a", "b"));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> HeadWeights.read(spec));
        assertTrue(e.getMessage().contains("no recorded SHA-256") && e.getMessage().contains(file.toString()),
                e.getMessage());
        // with its checksum it loads
        HeadWeights.read(new HeadSpec("linear", new Artifact(file, Checksums.sha256(file)), Arrays.asList("a", "b")));
    }
}
