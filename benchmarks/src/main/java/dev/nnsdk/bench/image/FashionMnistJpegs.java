package dev.nnsdk.bench.image;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Writes benchmark JPEGs from Fashion-MNIST: the first {@code count} test images (28x28 grey),
 * scaled bilinearly to {@code size}x{@code size} RGB, as {@code fmnist-000.jpg}... Images are
 * generated on demand (never committed).
 *
 * <pre>
 * java -cp "sdk-cli/target/sdk-cli.jar:sdk-cli/target/lib/*" dev.nnsdk.bench.image.FashionMnistJpegs \
 *      $SDK_ASSETS_DIR/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz /tmp/bench2-images 200 256
 * </pre>
 */
public final class FashionMnistJpegs {
    private FashionMnistJpegs() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: FashionMnistJpegs IDX_IMAGES_GZ OUT_DIR COUNT SIZE");
            System.exit(2);
        }
        List<Path> files = write(Paths.get(args[0]), Paths.get(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        System.out.println("wrote " + files.size() + " JPEGs to " + args[1]);
    }

    /** Writes {@code count} JPEGs of {@code size} px into {@code out} and returns their paths. */
    public static List<Path> write(Path idxGz, Path out, int count, int size) throws IOException {
        Files.createDirectories(out);
        List<Path> written = new ArrayList<Path>();
        try (InputStream raw = Files.newInputStream(idxGz);
             DataInputStream in = new DataInputStream(new GZIPInputStream(raw, 1 << 16))) {
            int magic = in.readInt();
            if (magic != 0x00000803) {
                throw new IOException(idxGz + " is not an IDX uint8 3-D file (magic " + Integer.toHexString(magic) + ")");
            }
            int n = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            byte[] px = new byte[rows * cols];
            for (int i = 0; i < Math.min(n, count); i++) {
                in.readFully(px);
                BufferedImage small = new BufferedImage(cols, rows, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < rows; y++) {
                    for (int x = 0; x < cols; x++) {
                        int g = px[y * cols + x] & 0xff;
                        small.setRGB(x, y, (g << 16) | (g << 8) | g);
                    }
                }
                BufferedImage big = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
                Graphics2D g2 = big.createGraphics();
                g2.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g2.drawImage(small, 0, 0, size, size, null);
                g2.dispose();
                Path f = out.resolve(String.format(Locale.ROOT, "fmnist-%03d.jpg", i));
                if (!ImageIO.write(big, "jpg", f.toFile())) {
                    throw new IOException("No JPEG writer in this JVM");
                }
                written.add(f);
            }
        }
        return written;
    }
}
