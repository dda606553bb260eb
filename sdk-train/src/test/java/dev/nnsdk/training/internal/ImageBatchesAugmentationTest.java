package dev.nnsdk.training.internal;

import dev.nnsdk.image.Image;
import dev.nnsdk.image.ImagePreprocessor;
import dev.nnsdk.repository.ImageSpec;
import dev.nnsdk.training.data.Augmentation;
import dev.nnsdk.training.data.ImageExample;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backbone training augments on the fly: each epoch takes every training image as itself or its mirror (flip), drawn
 * from the seed, the epoch and the image, so a replayed (resumed) epoch sees the very same pixels; inference passes
 * (probe, validation) never see a transform.
 */
class ImageBatchesAugmentationTest {
    private static final int W = 6;
    private static final int H = 4;

    /** An asymmetric grey ramp per image, so a mirror is never the image itself. */
    private static List<ImageExample> images(int n) {
        List<ImageExample> out = new ArrayList<ImageExample>();
        for (int k = 0; k < n; k++) {
            byte[] g = new byte[W * H];
            for (int i = 0; i < g.length; i++) {
                g[i] = (byte) ((i % W) * 40 + k);
            }
            out.add(ImageExample.ofImage("c" + (k % 2), Image.fromGray(W, H, g)));
        }
        return out;
    }

    private static float[] row(float[] x, int r) {
        int per = x.length / 8;
        return Arrays.copyOfRange(x, r * per, (r + 1) * per);
    }

    @Test
    void flipsAreDrawnPerEpochAndImageAndReplayExactly() {
        ImagePreprocessor pre = new ImagePreprocessor(ImageSpec.builder().setSize(W, H).optScale(1f).build());
        List<ImageExample> ims = images(8);
        BackboneRun.ImageBatches plain = new BackboneRun.ImageBatches(ims, pre, Augmentation.none(), 42);
        BackboneRun.ImageBatches aug = new BackboneRun.ImageBatches(ims, pre, Augmentation.parse("flip"), 42);
        int[] rows = {0, 1, 2, 3, 4, 5, 6, 7};
        float[] original = plain.pixels(rows, 0, 8, true);

        aug.epoch(1);
        float[] e1 = aug.pixels(rows, 0, 8, true);
        assertArrayEquals(original, aug.pixels(rows, 0, 8, false), "inference passes are never augmented");
        aug.epoch(2);
        float[] e2 = aug.pixels(rows, 0, 8, true);
        aug.epoch(1);
        assertArrayEquals(e1, aug.pixels(rows, 0, 8, true), "a replayed epoch sees the same transforms");

        int flipped1 = 0;
        int differ = 0;
        for (int r = 0; r < 8; r++) {
            boolean f1 = !Arrays.equals(row(e1, r), row(original, r));
            boolean f2 = !Arrays.equals(row(e2, r), row(original, r));
            flipped1 += f1 ? 1 : 0;
            differ += f1 != f2 ? 1 : 0;
            if (f1) {   // a flip is the mirror of the original, pixel for pixel
                float[] o = row(original, r);
                float[] m = row(e1, r);
                int per = W * H;
                for (int c = 0; c < 3; c++) {
                    for (int y = 0; y < H; y++) {
                        for (int x = 0; x < W; x++) {
                            assertEquals(o[c * per + y * W + (W - 1 - x)], m[c * per + y * W + x], 1e-4,
                                    "image " + r + " channel " + c + " (" + x + "," + y + ")");
                        }
                    }
                }
            }
        }
        assertTrue(flipped1 > 0 && flipped1 < 8, "about half the images are mirrored in an epoch: " + flipped1);
        assertTrue(differ > 0, "another epoch draws other flips");
        assertFalse(Arrays.equals(e1, e2));
    }
}
