package dev.nnsdk.bench.image;

import dev.nnsdk.image.Image;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON shape of the image bench, on fake contenders (no model). */
class ImageBenchTest {

    /** Probabilities from the first pixel's red value, optionally with the two classes swapped. */
    private static final class Fake implements ImageContender {
        private final String name;
        private final boolean swap;
        final List<Integer> callSizes = new ArrayList<Integer>();

        Fake(String name, boolean swap) {
            this.name = name;
            this.swap = swap;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public List<float[]> probabilities(List<Image> images) {
            callSizes.add(images.size());
            List<float[]> out = new ArrayList<float[]>();
            for (Image im : images) {
                float p = im.sample(0, 0, 0) / 255f;
                out.add(swap ? new float[] {1 - p, p} : new float[] {p, 1 - p});
            }
            return out;
        }

        @Override
        public void close() {
        }
    }

    private static List<Image> images(int n) {
        List<Image> out = new ArrayList<Image>();
        for (int i = 0; i < n; i++) {
            int v = i % 2 == 0 ? 250 : 10;
            out.add(Image.fromArgb(1, 1, new int[] {0xff000000 | v << 16}));
        }
        return out;
    }

    @Test
    @SuppressWarnings("unchecked")
    void reportsEveryBatchSizeRatiosAndAgreement() {
        Fake sdk = new Fake("sdk-x", false);
        Fake raw = new Fake("raw-x", false);
        Map<String, ImageContender> c = new LinkedHashMap<String, ImageContender>();
        c.put(sdk.name(), sdk);
        c.put(raw.name(), raw);
        Map<String, Object> res = new ImageBench(images(10), new int[] {1, 8}, 1, 1).run(c);
        assertEquals(10, res.get("images"));
        Map<String, Object> results = (Map<String, Object>) res.get("results");
        assertEquals(Arrays.asList("sdk-x", "raw-x"), new ArrayList<String>(results.keySet()));
        Map<String, Object> b8 = (Map<String, Object>) ((Map<String, Object>) results.get("sdk-x")).get("batch8");
        for (String k : new String[] {"seconds", "imagesPerSec", "p50Ms", "p99Ms"}) {
            assertNotNull(b8.get(k), k);
        }
        // warm-up call of 8, then 10 calls of 1, then calls of 8 and 2
        assertEquals(Arrays.asList(8, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 8, 2), sdk.callSizes);
        Map<String, Object> ratios = (Map<String, Object>) ((Map<String, Object>) res.get("ratios")).get("sdk-x_time/raw-x_time");
        assertTrue(ratios.containsKey("batch1") && ratios.containsKey("batch8_medianPerCall"), ratios.toString());
        Map<String, Object> agree = (Map<String, Object>) ((Map<String, Object>) res.get("agreement")).get("sdk-x~raw-x");
        assertEquals(10, agree.get("sameTop1"));
        assertEquals(Boolean.TRUE, agree.get("equal"));
        assertEquals("batch8", agree.get("pass"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void disagreementIsReported() {
        Map<String, List<float[]>> probs = new LinkedHashMap<String, List<float[]>>();
        probs.put("a", Arrays.asList(new float[] {0.9f, 0.1f}, new float[] {0.2f, 0.8f}));
        probs.put("b", Arrays.asList(new float[] {0.9f, 0.1f}, new float[] {0.8f, 0.2f}));
        Map<String, Object> m = (Map<String, Object>) ImageBench.agreement(Arrays.asList("a", "b"), probs, "batch1").get("a~b");
        assertEquals(1, m.get("sameTop1"));
        assertFalse((Boolean) m.get("equal"));
        assertEquals(0.6, (Double) m.get("maxProbabilityDiff"), 1e-6);
    }
}
