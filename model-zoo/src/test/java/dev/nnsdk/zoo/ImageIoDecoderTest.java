package dev.nnsdk.zoo;

import dev.nnsdk.InvalidInputException;
import dev.nnsdk.image.Image;
import dev.nnsdk.image.ImageDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageIoDecoderTest {

    @TempDir
    Path tmp;

    private final ImageDecoder decoder = ImageDecoder.get();

    @Test
    void isTheRegisteredDecoder() {
        assertInstanceOf(ImageIoDecoder.class, decoder);
    }

    @Test
    void textFileIsNotAnImage() throws IOException {
        Path f = tmp.resolve("notes.jpg");
        Files.write(f, "this is not an image".getBytes(StandardCharsets.UTF_8));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> decoder.decode(f));
        assertTrue(e.getMessage().contains("notes.jpg") && e.getMessage().contains("not an image"), e.getMessage());
        Path empty = tmp.resolve("empty.png");
        Files.write(empty, new byte[0]);
        e = assertThrows(InvalidInputException.class, () -> decoder.decode(empty));
        assertTrue(e.getMessage().contains("empty.png"), e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> decoder.decode(tmp.resolve("nope.png")));
        assertTrue(e.getMessage().contains("nope.png") && e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void eightBitGreyKeepsItsValuesWithoutGammaConversion() throws IOException {
        BufferedImage bi = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_GRAY);
        bi.getRaster().setPixels(0, 0, 3, 1, new int[] {0, 128, 255});
        Image im = decoder.decode(png(bi), "grey.png");
        assertEquals(3, im.width());
        for (int c = 0; c < 3; c++) {
            assertEquals(0, im.sample(0, 0, c));
            assertEquals(128, im.sample(1, 0, c));
            assertEquals(255, im.sample(2, 0, c));
        }
        assertEquals("grey.png", im.source());
    }

    @Test
    void sixteenBitGreyKeepsTheHighByte() throws IOException {
        BufferedImage bi = new BufferedImage(2, 2, BufferedImage.TYPE_USHORT_GRAY);
        bi.getRaster().setPixels(0, 0, 2, 2, new int[] {0x1234, 0xFFFF, 0x0080, 0x8000});
        Path f = tmp.resolve("grey16.png");
        Files.write(f, png(bi));
        Image im = decoder.decode(f);
        assertEquals(0x12, im.sample(0, 0, 0));
        assertEquals(0xFF, im.sample(1, 0, 1));
        assertEquals(0x00, im.sample(0, 1, 2));
        assertEquals(0x80, im.sample(1, 1, 0));
    }

    @Test
    void sixteenBitRgbKeepsTheHighBytes() throws IOException {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster r = cm.createCompatibleWritableRaster(2, 1);
        r.setPixels(0, 0, 2, 1, new int[] {0xFF00, 0x8011, 0x0100, 0x1234, 0x5678, 0x9ABC});
        BufferedImage bi = new BufferedImage(cm, r, false, null);
        byte[] bytes = png(bi);
        Image im = decoder.decode(bytes, "rgb16.png");
        assertEquals(Arrays.asList(0xFF, 0x80, 0x01), Arrays.asList(im.sample(0, 0, 0), im.sample(0, 0, 1), im.sample(0, 0, 2)));
        assertEquals(Arrays.asList(0x12, 0x56, 0x9A), Arrays.asList(im.sample(1, 0, 0), im.sample(1, 0, 1), im.sample(1, 0, 2)));
    }

    @Test
    void paletteAndAlphaImagesBecomeRgb() throws IOException {
        IndexColorModel palette = new IndexColorModel(8, 2, new byte[] {10, (byte) 200}, new byte[] {20, 0},
                new byte[] {30, 100});
        BufferedImage indexed = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, palette);
        indexed.getRaster().setPixels(0, 0, 2, 1, new int[] {1, 0});
        Image im = decoder.decode(png(indexed), "palette.png");
        assertEquals(0xFFC80064, im.argb(0, 0));
        assertEquals(0xFF0A141E, im.argb(1, 0));

        BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x00336699);   // fully transparent: colour kept, alpha dropped
        argb.setRGB(1, 0, 0x80FF0000);
        Image a = decoder.decode(png(argb), "alpha.png");
        assertEquals(0xFF336699, a.argb(0, 0));
        assertEquals(0xFFFF0000, a.argb(1, 0));
    }

    @Test
    void onePixelImageDecodes() throws IOException {
        BufferedImage bi = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        bi.setRGB(0, 0, 0x123456);
        Image im = decoder.decode(png(bi), "dot.png");
        assertEquals(1, im.width());
        assertEquals(1, im.height());
        assertEquals(0xFF123456, im.argb(0, 0));
    }

    @Test
    void hugeDeclaredSizeIsRefusedBeforeDecoding() throws IOException {
        // A valid PNG header declaring 10,000 x 10,000 RGB and no pixel data: 100 megapixels.
        Path f = tmp.resolve("huge.png");
        Files.write(f, pngHeaderOnly(10_000, 10_000));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> decoder.decode(f));
        assertTrue(e.getMessage().contains("huge.png") && e.getMessage().contains("10000x10000")
                && e.getMessage().contains("50 megapixels"), e.getMessage());
        // The same limit with a custom decoder, on a real (small) image.
        BufferedImage bi = new BufferedImage(20, 10, BufferedImage.TYPE_INT_RGB);
        e = assertThrows(InvalidInputException.class, () -> new ImageIoDecoder(100).decode(png(bi), "small.png"));
        assertTrue(e.getMessage().contains("20x10"), e.getMessage());
    }

    @Test
    void truncatedImageIsAClearError() throws IOException {
        BufferedImage bi = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                bi.setRGB(x, y, x * 4 << 16 | y * 4 << 8 | (x ^ y));
            }
        }
        byte[] full = png(bi);
        byte[] cut = Arrays.copyOf(full, full.length / 2);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> decoder.decode(cut, "cut.png"));
        assertTrue(e.getMessage().contains("cut.png"), e.getMessage());
        byte[] jpeg = encode(bi, "jpeg");
        byte[] cutJpeg = Arrays.copyOf(jpeg, 40);
        e = assertThrows(InvalidInputException.class, () -> decoder.decode(cutJpeg, "cut.jpg"));
        assertTrue(e.getMessage().contains("cut.jpg"), e.getMessage());
        // Cut after the headers, inside the image data: javax.imageio alone would return grey for the rest.
        for (double share : new double[] {0.5, 0.9, 0.99}) {
            byte[] partial = Arrays.copyOf(jpeg, (int) (jpeg.length * share));
            e = assertThrows(InvalidInputException.class, () -> decoder.decode(partial, "partial.jpg"), "cut at " + share);
            assertTrue(e.getMessage().contains("partial.jpg") && (e.getMessage().contains("truncated") || e.getMessage().contains("damaged")), e.getMessage());
        }
        assertEquals(64, decoder.decode(jpeg, "whole.jpg").width(), "the whole file still decodes");
    }

    @Test
    void cmykJpegIsDecodedCorrectlyOrRefusedClearly() throws IOException {
        byte[] cmyk;
        try (InputStream in = getClass().getResourceAsStream("/images/cmyk.jpg")) {
            cmyk = in.readAllBytes();
        }
        try {
            Image im = decoder.decode(cmyk, "cmyk.jpg");
            // JDKs whose JPEG reader handles Adobe CMYK (this one does) must give the right colour: solid red.
            assertEquals(8, im.width());
            assertTrue(im.sample(3, 3, 0) > 240 && im.sample(3, 3, 1) < 15 && im.sample(3, 3, 2) < 15,
                    Integer.toHexString(im.argb(3, 3)));
        } catch (InvalidInputException e) {
            assertTrue(e.getMessage().contains("cmyk.jpg") && e.getMessage().contains("CMYK"), e.getMessage());
        }
    }

    private static byte[] png(BufferedImage bi) throws IOException {
        return encode(bi, "png");
    }

    private static byte[] encode(BufferedImage bi, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(bi, format, out), "no " + format + " writer for " + bi);
        return out.toByteArray();
    }

    private static byte[] pngHeaderOnly(int w, int h) {
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(w).putInt(h)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        ByteBuffer out = ByteBuffer.allocate(8 + 4 + 17 + 4 + 12);
        out.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        out.putInt(13).put(ihdr.array()).putInt((int) crc.getValue());
        CRC32 end = new CRC32();
        end.update("IEND".getBytes(StandardCharsets.US_ASCII));
        out.putInt(0).put("IEND".getBytes(StandardCharsets.US_ASCII)).putInt((int) end.getValue());
        return out.array();
    }
}
