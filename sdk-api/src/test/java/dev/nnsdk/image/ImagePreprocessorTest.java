package dev.nnsdk.image;

import dev.nnsdk.InvalidInputException;
import dev.nnsdk.repository.ImageSpec;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ImagePreprocessorTest {

    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};

    /** A 2x2 image with distinct known pixels. */
    private static Image twoByTwo() {
        return Image.fromRgb(2, 2, new byte[] {
                (byte) 255, 0, 0, /**/ 0, (byte) 128, 0,
                0, 0, (byte) 64, /**/ 10, 20, 30});
    }

    @Test
    void sameSizeNchwIsScaledAndNormalisedPerChannel() {
        ImageSpec spec = ImageSpec.builder().setSize(2, 2).optLayout(ImageSpec.Layout.NCHW)
                .optScale(1f / 255).optNormalize(MEAN, STD).build();
        float[] x = new ImagePreprocessor(spec).apply(twoByTwo());
        int[][] px = {{255, 0, 0}, {0, 128, 0}, {0, 0, 64}, {10, 20, 30}};
        assertEquals(12, x.length);
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < 4; p++) {
                float expected = (px[p][c] / 255f - MEAN[c]) / STD[c];
                assertEquals(expected, x[c * 4 + p], 1e-6, "channel " + c + " pixel " + p);
            }
        }
        assertEquals((1f - 0.485f) / 0.229f, x[0], 1e-6);
    }

    @Test
    void nhwcInterleavesChannels() {
        ImageSpec spec = ImageSpec.builder().setSize(2, 2).optLayout(ImageSpec.Layout.NHWC).optScale(1f).build();
        float[] x = new ImagePreprocessor(spec).apply(twoByTwo());
        assertArrayEquals(new float[] {255, 0, 0, 0, 128, 0, 0, 0, 64, 10, 20, 30}, x, 0f);
        assertArrayEquals(new long[] {5, 2, 2, 3}, new ImagePreprocessor(spec).shape(5));
        ImageSpec nchw = ImageSpec.builder().setSize(3, 2).build();
        assertArrayEquals(new long[] {5, 3, 2, 3}, new ImagePreprocessor(nchw).shape(5));
    }

    @Test
    void halfPixelBilinearUpsampleMatchesPyTorch() {
        // torch.nn.functional.interpolate(torch.tensor([[[[0., 100.]]]]), size=(1, 4), mode="bilinear",
        // align_corners=False) -> [0, 25, 75, 100]
        Image im = Image.fromGray(2, 1, new byte[] {0, 100});
        ImageSpec spec = ImageSpec.builder().setSize(4, 1).optScale(1f).build();
        float[] x = new ImagePreprocessor(spec).apply(im);
        assertArrayEquals(new float[] {0, 25, 75, 100}, java.util.Arrays.copyOf(x, 4), 1e-5f);
    }

    @Test
    void alignCornersBilinearUpsampleMatchesTensorFlow() {
        // tf.image.resizeBilinear([[0], [90]] as 1x2, [1, 4], alignCorners=true) -> [0, 30, 60, 90]
        Image im = Image.fromGray(2, 1, new byte[] {0, 90});
        ImageSpec spec = ImageSpec.builder().setSize(4, 1).optScale(1f)
                .optInterpolation(ImageSpec.Interpolation.BILINEAR_ALIGN_CORNERS).build();
        float[] x = new ImagePreprocessor(spec).apply(im);
        assertArrayEquals(new float[] {0, 30, 60, 90}, java.util.Arrays.copyOf(x, 4), 1e-5f);
    }

    @Test
    void halfPixelDownsampleAveragesNeighbours() {
        // 4 -> 2 with half-pixel centres samples at 0.5 and 2.5: the mean of each pair.
        Image im = Image.fromGray(4, 1, new byte[] {0, 100, (byte) 200, (byte) 250});
        ImageSpec spec = ImageSpec.builder().setSize(2, 1).optScale(1f).optLayout(ImageSpec.Layout.NHWC).build();
        float[] x = new ImagePreprocessor(spec).apply(im);
        assertEquals(50f, x[0], 1e-5);
        assertEquals(225f, x[3], 1e-5);
    }

    @Test
    void centreCropGeometryFollowsTorchvision() {
        ImageSpec spec = ImageSpec.builder().setSize(64, 64)
                .optResize(ImageSpec.Resize.SHORTER_THEN_CENTER_CROP, 72).build();
        ImagePreprocessor pre = new ImagePreprocessor(spec);
        // landscape 256x171: shorter side 72, longer int(72 * 256 / 171) = 107; crop at round(43 / 2) = 22 (half-even), round(8/2)=4
        assertArrayEquals(new int[] {107, 72}, pre.resizedSize(256, 171));
        assertArrayEquals(new int[] {22, 4}, pre.cropOrigin(256, 171));
        // portrait 100x300 -> 72x216, crop origin (4, 76)
        assertArrayEquals(new int[] {72, 216}, pre.resizedSize(100, 300));
        assertArrayEquals(new int[] {4, 76}, pre.cropOrigin(100, 300));
        // 256x192 -> 96x72: (96 - 64) / 2 = 16
        assertArrayEquals(new int[] {16, 4}, pre.cropOrigin(256, 192));
        // half-even rounding: 65 - 64 = 1 -> round(0.5) = 0; 67 - 64 = 3 -> round(1.5) = 2
        ImageSpec s2 = ImageSpec.builder().setSize(64, 64).optResize(ImageSpec.Resize.SHORTER_THEN_CENTER_CROP, 64).build();
        assertArrayEquals(new int[] {0, 0}, new ImagePreprocessor(s2).cropOrigin(65, 64));
        assertArrayEquals(new int[] {2, 0}, new ImagePreprocessor(s2).cropOrigin(67, 64));
    }

    @Test
    void centreCropWithoutResizeCopiesTheCentre() {
        // 4x2 image, shorter side already 2, crop 2x2 from the centre: columns 1 and 2.
        byte[] g = {0, 10, 20, 30, 40, 50, 60, 70};
        ImageSpec spec = ImageSpec.builder().setSize(2, 2).optScale(1f).optLayout(ImageSpec.Layout.NHWC)
                .optResize(ImageSpec.Resize.SHORTER_THEN_CENTER_CROP, 2).build();
        float[] x = new ImagePreprocessor(spec).apply(Image.fromGray(4, 2, g));
        assertArrayEquals(new float[] {10, 10, 10, 20, 20, 20, 50, 50, 50, 60, 60, 60}, x, 0f);
    }

    @Test
    void onePixelImageFillsTheTarget() {
        Image im = Image.fromRgb(1, 1, new byte[] {(byte) 200, 100, 50});
        for (ImageSpec.Interpolation mode : ImageSpec.Interpolation.values()) {
            for (ImageSpec.Resize resize : new ImageSpec.Resize[] {ImageSpec.Resize.STRETCH, ImageSpec.Resize.SHORTER_THEN_CENTER_CROP}) {
                ImageSpec spec = ImageSpec.builder().setSize(5, 3).optScale(1f).optInterpolation(mode)
                        .optResize(resize, 5).optLayout(ImageSpec.Layout.NCHW).build();
                float[] x = new ImagePreprocessor(spec).apply(im);
                float tol = mode == ImageSpec.Interpolation.BICUBIC ? 1e-4f : 0f;   // cubic weights sum to 1 within float rounding
                for (int i = 0; i < 15; i++) {
                    assertEquals(200f, x[i], 200 * tol);
                    assertEquals(100f, x[15 + i], 100 * tol);
                    assertEquals(50f, x[30 + i], 50 * tol);
                }
            }
        }
    }

    @Test
    void batchesAreWrittenOneAfterAnother() {
        ImageSpec spec = ImageSpec.builder().setSize(2, 2).optScale(1f).build();
        ImagePreprocessor pre = new ImagePreprocessor(spec);
        FloatBuffer buf = FloatBuffer.allocate(24);
        pre.apply(twoByTwo(), buf);
        pre.apply(Image.fromGray(1, 1, new byte[] {7}), buf);
        assertEquals(24, buf.position());
        assertEquals(255f, buf.get(0), 0f);
        assertEquals(7f, buf.get(12), 0f);
        assertEquals(7f, buf.get(23), 0f);
        assertThrows(IllegalArgumentException.class, () -> pre.apply(twoByTwo(), buf));
    }

    @Test
    void imageFactoriesCheckSizes() {
        assertThrows(InvalidInputException.class, () -> Image.fromRgb(2, 2, new byte[11]));
        assertThrows(InvalidInputException.class, () -> Image.fromArgb(0, 2, new int[0]));
        assertThrows(InvalidInputException.class, () -> Image.fromGray(2, 2, null));
        Image im = Image.fromArgb(1, 1, new int[] {0x00112233});
        assertEquals(0xFF112233, im.argb(0, 0));
        assertEquals(0x22, im.sample(0, 0, 1));
    }

    @Test
    void specNamesParseTheDescriptorSpelling() {
        assertEquals(ImageSpec.Resize.SHORTER_THEN_CENTER_CROP, ImageSpec.Resize.parse("shorter-then-center-crop"));
        assertEquals(ImageSpec.Interpolation.BILINEAR_ALIGN_CORNERS, ImageSpec.Interpolation.parse(" Bilinear-Align-Corners"));
        assertEquals(ImageSpec.Layout.NHWC, ImageSpec.Layout.parse("nhwc"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageSpec.Interpolation.parse("lanczos"));
        assertEquals("interpolation 'lanczos' is not one of bilinear, bilinear-align-corners, bicubic, nearest, area", e.getMessage());
    }

    @Test
    void specRejectsACropLargerThanTheResize() {
        assertThrows(IllegalArgumentException.class, () -> ImageSpec.builder().setSize(64, 64)
                .optResize(ImageSpec.Resize.SHORTER_THEN_CENTER_CROP, 32).build());
    }
}
