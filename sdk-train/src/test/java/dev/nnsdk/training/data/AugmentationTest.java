package dev.nnsdk.training.data;

import dev.nnsdk.InvalidInputException;
import dev.nnsdk.image.Image;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AugmentationTest {

    /** A 20x12 image whose pixels all differ. */
    static Image image() {
        int w = 20;
        int h = 12;
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                rgb[i] = (byte) (x * 12);
                rgb[i + 1] = (byte) (y * 20);
                rgb[i + 2] = (byte) ((x * 7 + y * 13) % 256);
            }
        }
        return Image.fromRgb(w, h, rgb).withSource("test.png");
    }

    private static final Augmentation ALL = Augmentation.builder().optFlip(true).optRotation(15).optShift(0.1)
            .optZoom(0.2).optCopies(3).build();

    @Test
    void sameSeedSameImage() {
        Image img = image();
        Image a = ALL.apply(img, new Random(7));
        Image b = ALL.apply(img, new Random(7));
        assertArrayEquals(a.toRgb(), b.toRgb());
        assertEquals(img.width(), a.width());
        assertEquals(img.height(), a.height());
        assertEquals("test.png", a.source());
        Random rnd = new Random(7);
        Image first = ALL.apply(img, rnd);
        Image second = ALL.apply(img, rnd);
        assertFalse(Arrays.equals(first.toRgb(), second.toRgb()), "the next draw is another transform");
    }

    @Test
    void nothingEnabledIsTheIdentity() {
        Image img = image();
        assertSame(img, Augmentation.none().apply(img, new Random(1)));
        Augmentation zeros = Augmentation.builder().optRotation(0).optShift(0).optZoom(0).build();
        assertFalse(zeros.enabled());
        assertEquals(0, zeros.copies());
        assertEquals(Augmentation.none(), zeros);
        assertArrayEquals(img.toRgb(), zeros.apply(img, new Random(1)).toRgb());
        assertArrayEquals(img.toRgb(), Augmentation.transform(img, false, 0, 0, 0, 1).toRgb());
    }

    @Test
    void flipOfFlipIsTheOriginal() {
        Image img = image();
        Image once = Augmentation.transform(img, true, 0, 0, 0, 1);
        assertEquals(img.sample(0, 3, 0), once.sample(19, 3, 0));
        assertEquals(img.sample(5, 7, 2), once.sample(14, 7, 2));
        assertArrayEquals(img.toRgb(), Augmentation.transform(once, true, 0, 0, 0, 1).toRgb());
        // flip-only augmentation: each output is the image or its mirror
        Augmentation flip = Augmentation.builder().optFlip(true).build();
        Random rnd = new Random(3);
        int mirrored = 0;
        for (int i = 0; i < 20; i++) {
            byte[] out = flip.apply(img, rnd).toRgb();
            if (Arrays.equals(out, once.toRgb())) {
                mirrored++;
            } else {
                assertArrayEquals(img.toRgb(), out);
            }
        }
        assertTrue(mirrored > 3 && mirrored < 17, "flipped " + mirrored + " of 20");
    }

    @Test
    void shiftRotationAndZoomKeepTheSizeAndFillWithTheEdge() {
        Image img = image();
        Image right = Augmentation.transform(img, false, 0, 1, 0, 1);
        for (int y = 0; y < 12; y++) {
            assertEquals(img.sample(0, y, 0), right.sample(0, y, 0), "edge repeated");
            for (int x = 1; x < 20; x++) {
                assertEquals(img.sample(x - 1, y, 2), right.sample(x, y, 2));
            }
        }
        Image half = Augmentation.transform(img, false, 180, 0, 0, 1);
        assertEquals(20, half.width());
        assertEquals(12, half.height());
        for (int y = 0; y < 12; y++) {
            for (int x = 0; x < 20; x++) {
                assertTrue(Math.abs(img.sample(19 - x, 11 - y, 2) - half.sample(x, y, 2)) <= 1, "180 degrees at " + x + "," + y);
            }
        }
        Image rotated = Augmentation.builder().optRotation(30).build().apply(img, new Random(5));
        assertEquals(20, rotated.width());
        assertEquals(12, rotated.height());
        Image zoomed = Augmentation.transform(img, false, 0, 0, 0, 2);
        // 2x about the centre (9.5, 5.5): output (9, 5) shows input (9.25, 5.25); red depends on x only
        assertEquals(Math.round(0.75 * img.sample(9, 5, 0) + 0.25 * img.sample(10, 5, 0)), zoomed.sample(9, 5, 0));
        assertEquals(111, zoomed.sample(9, 5, 0));
    }

    @Test
    void parseRoundTripsAndMapsForProvenance() {
        Augmentation a = Augmentation.parse("flip, rotation=10,shift=0.1,zoom=0.1,copies=2");
        assertTrue(a.flip());
        assertEquals(10, a.rotation());
        assertEquals(0.1, a.shift());
        assertEquals(0.1, a.zoom());
        assertEquals(2, a.copies());
        assertEquals("flip,rotation=10,shift=0.1,zoom=0.1,copies=2", a.toString());
        assertEquals(a, Augmentation.parse(a.toString()));
        assertEquals("{flip=true, rotation=10.0, shift=0.1, zoom=0.1, copies=2}", a.toMap().toString());
        assertEquals(Augmentation.none(), Augmentation.parse("none"));
        assertEquals(Augmentation.none(), Augmentation.parse(""));
        assertEquals("none", Augmentation.none().toString());
        assertEquals(1, Augmentation.parse("flip").copies());
        assertEquals("{flip=false, rotation=0.0, shift=0.0, zoom=0.0, copies=0}", Augmentation.none().toMap().toString());
    }

    @Test
    void parseErrorsNameTheBadItem() {
        String[][] cases = {
                {"flip,rotaton=10", "'rotaton=10' is unknown"},
                {"rotation=abc", "'rotation=abc'", "'abc' is not a number"},
                {"rotation", "'rotation' needs a value"},
                {"shift=1.5", "'shift=1.5'", "[0, 1]"},
                {"zoom=1", "'zoom=1'", "[0, 1)"},
                {"rotation=-5", "'rotation=-5'"},
                {"copies=0", "'copies=0'", "at least 1"},
                {"copies=1.5", "'copies=1.5'", "whole number"},
                {"flip=maybe", "'flip=maybe'"},
                {"flip,,zoom=0.1", "empty item"},
                {"zoom=0.1,zoom=0.2", "'zoom' twice"},
                {"rotation=NaN", "'rotation=NaN'"},
        };
        for (String[] c : cases) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> Augmentation.parse(c[0]), c[0]);
            for (int i = 1; i < c.length; i++) {
                assertTrue(e.getMessage().contains(c[i]), c[0] + " -> " + e.getMessage());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Augmentation.builder().optCopies(0));
    }
}
