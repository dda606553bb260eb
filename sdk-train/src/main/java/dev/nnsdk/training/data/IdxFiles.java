package dev.nnsdk.training.data;

import dev.nnsdk.InvalidInputException;
import dev.nnsdk.image.Image;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipException;

/**
 * Reads MNIST-style IDX files (http://yann.lecun.com/exdb/mnist/): big-endian, a 4-byte magic
 * {@code 0x0000 TT DD} (TT the data type, 0x08 = unsigned byte; DD the number of dimensions), DD
 * 32-bit sizes, then the data. Images are {@code 0x00000803} (n, rows, cols), labels
 * {@code 0x00000801} (n). {@code .gz} files are gunzipped on the fly.
 */
final class IdxFiles {
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    private IdxFiles() {
    }

    static ImageDataset read(Path images, Path labels, List<String> classNames) {
        Pixels px = readImages(images);
        byte[] lab = readLabels(labels);
        if (lab.length != px.count) {
            throw new InvalidInputException("IDX images file " + images + " has " + px.count + " images but labels file "
                    + labels + " has " + lab.length + " labels");
        }
        List<String> names = classNames == null ? null : new ArrayList<String>(classNames);
        int max = -1;
        for (int i = 0; i < lab.length; i++) {
            int v = lab[i] & 0xFF;
            if (names != null && v >= names.size()) {
                throw new InvalidInputException("IDX labels file " + labels + ": label " + v + " of image " + i
                        + " is not a class index: there are " + names.size() + " class names (0-" + (names.size() - 1) + ")");
            }
            max = Math.max(max, v);
        }
        if (names == null) {
            names = new ArrayList<String>();
            for (int v = 0; v <= Math.max(max, 9); v++) {
                names.add(String.valueOf(v));
            }
        }
        String file = images.toString();
        int size = px.rows * px.cols;
        List<ImageExample> out = new ArrayList<ImageExample>(px.count);
        for (int i = 0; i < px.count; i++) {
            String source = file + "#" + i;
            out.add(new ImageExample(names.get(lab[i] & 0xFF), source, new IdxImage(px.data, i * size, px.rows, px.cols, source)));
        }
        return new ImageDataset(file, out, names, null, true);
    }

    /** The first 4 bytes of a file (gunzipped for {@code .gz}) as a big-endian int, or -1 when shorter. */
    static int magic(Path file) {
        try (InputStream in = Datasets.openStream(file, "Image dataset")) {
            byte[] b = in.readNBytes(4);
            return b.length < 4 ? -1 : int32(b, 0);
        } catch (EOFException | ZipException e) {
            throw new InvalidInputException(file + " is a damaged or truncated gzip file: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static final class Pixels {
        final int count;
        final int rows;
        final int cols;
        final byte[] data;

        Pixels(int count, int rows, int cols, byte[] data) {
            this.count = count;
            this.rows = rows;
            this.cols = cols;
            this.data = data;
        }
    }

    static Pixels readImages(Path file) {
        try (InputStream in = Datasets.openStream(file, "IDX images")) {
            int[] dims = header(in, file, 3, "images", "n, rows, cols");
            int n = dims[0];
            int rows = dims[1];
            int cols = dims[2];
            if (n < 0 || rows < 1 || cols < 1) {
                throw new InvalidInputException("IDX images file " + file + " declares an impossible size: " + (n & 0xFFFFFFFFL)
                        + " images of " + (rows & 0xFFFFFFFFL) + "x" + (cols & 0xFFFFFFFFL) + " pixels");
            }
            long perImage = (long) rows * cols;
            if (perImage > Image.MAX_PIXELS) {
                throw new InvalidInputException("IDX images file " + file + " declares images of " + rows + "x" + cols
                        + " pixels, more than the " + Image.MAX_PIXELS + " an image may have");
            }
            long total = perImage * n;
            if (total > Integer.MAX_VALUE - 16) {
                throw new InvalidInputException("IDX images file " + file + " declares " + n + " images of " + rows + "x" + cols
                        + " = " + total + " bytes of pixels; at most " + (Integer.MAX_VALUE - 16) + " fit in memory");
            }
            byte[] data = body(in, file, (int) total, 16, "IDX images", n + " images of " + rows + "x" + cols);
            return new Pixels(n, rows, cols, data);
        } catch (EOFException | ZipException e) {
            throw new InvalidInputException("IDX images file " + file + " is a damaged or truncated gzip file: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static byte[] readLabels(Path file) {
        try (InputStream in = Datasets.openStream(file, "IDX labels")) {
            int n = header(in, file, 1, "labels", "n")[0];
            if (n < 0) {
                throw new InvalidInputException("IDX labels file " + file + " declares an impossible count " + (n & 0xFFFFFFFFL));
            }
            return body(in, file, n, 8, "IDX labels", n + " labels");
        } catch (EOFException | ZipException e) {
            throw new InvalidInputException("IDX labels file " + file + " is a damaged or truncated gzip file: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Checks the magic and reads the sizes. */
    private static int[] header(InputStream in, Path file, int dims, String kind, String sizes) throws IOException {
        String what = "IDX " + kind + " file " + file;
        byte[] m = in.readNBytes(4);
        if (m.length < 4) {
            throw new InvalidInputException(what + " is truncated: " + m.length + " bytes, shorter than the 4-byte IDX magic number");
        }
        int expected = 0x0800 | dims;
        if ((m[0] & 0xFF) == 0x1F && (m[1] & 0xFF) == 0x8B) {
            throw new InvalidInputException(what + " is gzip-compressed but its name does not end in .gz");
        }
        if (m[0] != 0 || m[1] != 0) {
            throw new InvalidInputException(what + " has a bad magic number " + hex(int32(m, 0)) + " (expected "
                    + hex(expected) + "); it is not an IDX file");
        }
        if ((m[2] & 0xFF) != 0x08) {
            throw new InvalidInputException(what + " has data type " + String.format(Locale.ROOT, "0x%02X", m[2] & 0xFF) + " ("
                    + dtype(m[2] & 0xFF) + "); only unsigned bytes (0x08) are supported");
        }
        if ((m[3] & 0xFF) != dims) {
            throw new InvalidInputException(what + " has " + (m[3] & 0xFF) + " dimensions (magic " + hex(int32(m, 0)) + "); IDX "
                    + kind + " have " + dims + " (" + sizes + ", magic " + hex(expected) + ")"
                    + ((m[3] & 0xFF) == 1 ? ": this looks like a labels file" : (m[3] & 0xFF) == 3 ? ": this looks like an images file" : ""));
        }
        byte[] h = in.readNBytes(4 * dims);
        if (h.length < 4 * dims) {
            throw new InvalidInputException(what + " is truncated: its header needs " + (4 + 4 * dims) + " bytes, the file has "
                    + (4 + h.length));
        }
        int[] out = new int[dims];
        for (int i = 0; i < dims; i++) {
            out[i] = int32(h, 4 * i);
        }
        return out;
    }

    /**
     * Reads exactly {@code expected} data bytes and checks nothing follows. Memory grows with the
     * bytes actually present (InputStream.readNBytes reads in chunks), so a crafted header cannot
     * make it allocate what the file does not hold.
     */
    private static byte[] body(InputStream in, Path file, int expected, int headerBytes, String what, String declared)
            throws IOException {
        byte[] data = in.readNBytes(expected);
        if (data.length < expected) {
            throw new InvalidInputException(what + " file " + file + " is truncated: its header declares " + declared
                    + ", which needs " + ((long) headerBytes + expected) + " bytes, but the file has "
                    + ((long) headerBytes + data.length) + (file.toString().endsWith(".gz") ? " (uncompressed)" : ""));
        }
        if (in.read() >= 0) {
            throw new InvalidInputException(what + " file " + file + " has data after the " + declared
                    + " its header declares (" + ((long) headerBytes + expected) + " bytes); the header or the file is wrong");
        }
        return data;
    }

    /**
     * Class names from a text file, one per line (line i = class i); a trailing empty line is
     * allowed; empty or duplicate names are errors naming the line.
     */
    static List<String> classNames(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new InvalidInputException("Class names file " + file + " is not valid UTF-8");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        int end = lines.size();
        while (end > 0 && lines.get(end - 1).trim().isEmpty()) {
            end--;
        }
        List<String> out = new ArrayList<String>();
        Map<String, Integer> seen = new HashMap<String, Integer>();
        for (int i = 0; i < end; i++) {
            String s = lines.get(i).trim();
            if (i == 0 && s.startsWith("\uFEFF")) {
                s = s.substring(1).trim();
            }
            if (s.isEmpty()) {
                throw new InvalidInputException("Class names file " + file + ": line " + (i + 1) + " is empty; one class name per line");
            }
            Integer before = seen.put(s, i + 1);
            if (before != null) {
                throw new InvalidInputException("Class names file " + file + ": line " + (i + 1) + " repeats the name '" + s
                        + "' of line " + before);
            }
            out.add(s);
        }
        if (out.isEmpty()) {
            throw new InvalidInputException("Class names file " + file + " is empty");
        }
        return out;
    }

    private static int int32(byte[] b, int o) {
        return (b[o] & 0xFF) << 24 | (b[o + 1] & 0xFF) << 16 | (b[o + 2] & 0xFF) << 8 | (b[o + 3] & 0xFF);
    }

    private static String hex(int v) {
        return String.format(Locale.ROOT, "0x%08X", v);
    }

    private static String dtype(int t) {
        switch (t) {
            case 0x09: return "signed byte";
            case 0x0B: return "short";
            case 0x0C: return "int";
            case 0x0D: return "float";
            case 0x0E: return "double";
            default: return "unknown";
        }
    }
}
