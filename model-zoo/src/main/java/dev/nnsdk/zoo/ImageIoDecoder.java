package dev.nnsdk.zoo;

import dev.nnsdk.InvalidInputException;
import dev.nnsdk.image.Image;
import dev.nnsdk.image.ImageDecoder;

import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The JVM {@link ImageDecoder}: javax.imageio (PNG, JPEG, GIF, BMP, WBMP, TIFF; the first frame of
 * animated files). Registered in {@code META-INF/services/dev.nnsdk.image.ImageDecoder}.
 *
 * <p>What it returns is always 8-bit RGB:
 * <ul>
 *   <li>grey (1, 2, 4, 8 or 16 bits) becomes R = G = B, the value kept as stored (no gamma or colour
 *       conversion; 1/2/4-bit values are stretched to 0-255);</li>
 *   <li>16-bit samples keep their 8 most significant bits ({@code v >> 8});</li>
 *   <li>palette images are looked up in their palette;</li>
 *   <li>alpha is dropped, the colour samples kept as they are (as PIL's {@code convert("RGB")} does);</li>
 *   <li>RGB samples are taken as stored; an embedded ICC profile is not applied (as PIL).</li>
 * </ul>
 * Other colour spaces (e.g. Adobe CMYK JPEGs, which the JDK 17 reader decodes into a CMYK colour space)
 * are converted to sRGB through their colour model. A JPEG the reader cannot decode (some YCCK or
 * unusual CMYK files) is refused with a message suggesting a conversion to RGB.
 *
 * <p>Images over {@link #MAX_PIXELS} pixels are refused from the size in their header, before any
 * pixel is decoded, so a small file declaring a huge size cannot exhaust memory. Every failure is an
 * {@link InvalidInputException} naming the file.
 */
public final class ImageIoDecoder implements ImageDecoder {

    /** The largest image accepted: 50 megapixels (e.g. 8660 x 5773). */
    public static final long MAX_PIXELS = 50_000_000L;

    private final long maxPixels;

    public ImageIoDecoder() {
        this(MAX_PIXELS);
    }

    /** A decoder with another pixel limit. */
    public ImageIoDecoder(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    @Override
    public Image decode(Path file) {
        Objects.requireNonNull(file, "file");
        String name = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("Image file " + name + (Files.exists(file) ? " is not a regular file" : " does not exist"));
        }
        try {
            if (Files.size(file) == 0) {
                throw new InvalidInputException("Image file " + name + " is empty (0 bytes)");
            }
        } catch (IOException e) {
            throw new InvalidInputException("Cannot read image file " + name + ": " + e.getMessage(), e);
        }
        try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
            return read(in, name);
        } catch (IOException e) {
            throw new InvalidInputException("Cannot read image file " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Image decode(byte[] data, String name) {
        Objects.requireNonNull(data, "data");
        String n = name == null ? "image bytes" : name;
        if (data.length == 0) {
            throw new InvalidInputException(n + " is empty (0 bytes)");
        }
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
            return read(in, n);
        } catch (IOException e) {
            throw new InvalidInputException("Cannot read image " + n + ": " + e.getMessage(), e);
        }
    }

    private Image read(ImageInputStream in, String name) {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            java.util.Set<String> formats = new java.util.TreeSet<String>();
            for (String f : ImageIO.getReaderFormatNames()) {
                formats.add(f.toLowerCase(Locale.ROOT));
            }
            throw new InvalidInputException(name + " is not an image in a format the JVM decodes ("
                    + String.join(", ", formats) + ")");
        }
        ImageReader reader = readers.next();
        int w = -1;
        int h = -1;
        try {
            reader.setInput(in, true, true);
            w = reader.getWidth(0);
            h = reader.getHeight(0);
            if (w < 1 || h < 1) {
                throw new InvalidInputException(name + " declares an empty size " + w + "x" + h);
            }
            long pixels = (long) w * h;
            if (pixels > maxPixels) {
                throw new InvalidInputException(name + " is " + w + "x" + h + " (" + String.format(Locale.ROOT, "%.1f", pixels / 1e6)
                        + " megapixels); images over " + maxPixels / 1_000_000 + " megapixels are refused. Downscale it first.");
            }
            // javax.imageio decodes a truncated JPEG or PNG with a warning (and grey for the missing part);
            // that is a damaged file, not an image.
            final List<String> warnings = new ArrayList<String>();
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            BufferedImage bi = reader.read(0);
            for (String warning : warnings) {
                String lower = warning.toLowerCase(Locale.ROOT);
                if (lower.contains("truncat") || lower.contains("premature end") || lower.contains("missing eoi")) {
                    throw new InvalidInputException(name + " is truncated or damaged (" + formatName(reader) + ": " + warning + ")");
                }
            }
            return toImage(bi).withSource(name);
        } catch (InvalidInputException e) {
            throw e;
        } catch (IIOException e) {
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("Unsupported Image Type") || msg.contains("Unsupported JPEG process")
                    || msg.toLowerCase(Locale.ROOT).contains("cmyk")) {
                throw new InvalidInputException(name + " cannot be decoded by javax.imageio (" + msg + "); this is usually a "
                        + "CMYK or YCCK JPEG: convert it to RGB first", e);
            }
            throw new InvalidInputException(name + " is damaged or not a valid " + formatName(reader)
                    + " image: " + msg, e);
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException(name + " is damaged or unsupported (" + formatName(reader) + "): " + e, e);
        } catch (OutOfMemoryError e) {
            throw new InvalidInputException(name + " (" + w + "x" + h + ") does not fit in the Java heap; downscale it or raise -Xmx", e);
        } finally {
            reader.dispose();
        }
    }

    /** 8-bit RGB from any BufferedImage, by the rules in the class comment. */
    static Image toImage(BufferedImage bi) {
        int w = bi.getWidth();
        int h = bi.getHeight();
        ColorModel cm = bi.getColorModel();
        int csType = cm.getColorSpace().getType();
        int colours = cm.getNumColorComponents();
        boolean gray = csType == ColorSpace.TYPE_GRAY && colours == 1;
        boolean rgb = csType == ColorSpace.TYPE_RGB && colours == 3;
        if (cm instanceof IndexColorModel || !(gray || rgb)) {
            return Image.fromArgb(w, h, bi.getRGB(0, 0, w, h, null, 0, w));
        }
        Raster r = bi.getRaster();
        int bands = r.getNumBands();
        int[] bits = new int[colours];
        for (int b = 0; b < colours; b++) {
            bits[b] = r.getSampleModel().getSampleSize(b);
        }
        int[] row = new int[w * bands];
        if (gray) {
            byte[] out = new byte[w * h];
            for (int y = 0; y < h; y++) {
                r.getPixels(r.getMinX(), r.getMinY() + y, w, 1, row);
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = (byte) to8(row[x * bands], bits[0]);
                }
            }
            return Image.fromGray(w, h, out);
        }
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            r.getPixels(r.getMinX(), r.getMinY() + y, w, 1, row);
            int o = y * w * 3;
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    out[o++] = (byte) to8(row[x * bands + c], bits[c]);
                }
            }
        }
        return Image.fromRgb(w, h, out);
    }

    private static String formatName(ImageReader reader) {
        try {
            return reader.getFormatName().toUpperCase(Locale.ROOT);
        } catch (IOException e) {
            return "image";
        }
    }

    private static int to8(int v, int bits) {
        if (bits == 8) {
            return v;
        }
        if (bits > 8) {
            return v >>> (bits - 8);
        }
        return v * 255 / ((1 << bits) - 1);
    }
}
