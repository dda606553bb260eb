package dev.nnsdk.format;

import dev.nnsdk.ModelLoadException;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The arrays a saved recommender consists of, and their file format ({@code recommender.bin},
 * big-endian, written with {@link DataOutputStream}):
 * <pre>
 * "NNREC" int version(1) | int dim | string backboneSource ("" when none) | int featureDim
 * int users  | users x (string id)   | users x dim float (user vectors)
 * int items  | items x (string id, string text) | items x dim float (item vectors) | items x float (item bias)
 *            | items x int (training interaction count)
 * featureDim x dim float (projection, row-major; text feature -> item vector)
 * users+1 int (offsets) | int n | n x int (item indices each user has, ascending per user)
 * </pre>
 * Strings are an int byte length followed by UTF-8 bytes. The score of item {@code i} for user
 * {@code u} is {@code dot(user[u], item[i]) + bias[i]}.
 */
public final class RecommenderWeights {
    /** The weights' file name in a saved recommender directory. */
    public static final String FILE = "recommender.bin";
    /** The properties file that named the weights in directories saved before {@code model.json} did (still read). */
    public static final String LEGACY_PROPERTIES = "recommender.properties";
    private static final byte[] MAGIC = "NNREC".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    public final int dim;
    public final String backboneSource;
    public final int featureDim;
    public final String[] users;
    public final float[] userVectors;
    public final String[] items;
    public final String[] texts;
    public final float[] itemVectors;
    public final float[] itemBias;
    public final int[] popularity;
    public final float[] projection;
    public final int[] ownedOffsets;
    public final int[] owned;

    public RecommenderWeights(int dim, String backboneSource, int featureDim, String[] users, float[] userVectors,
                            String[] items, String[] texts, float[] itemVectors, float[] itemBias, int[] popularity,
                            float[] projection, int[] ownedOffsets, int[] owned) {
        this.dim = dim;
        this.backboneSource = backboneSource == null ? "" : backboneSource;
        this.featureDim = featureDim;
        this.users = users;
        this.userVectors = userVectors;
        this.items = items;
        this.texts = texts;
        this.itemVectors = itemVectors;
        this.itemBias = itemBias;
        this.popularity = popularity;
        this.projection = projection;
        this.ownedOffsets = ownedOffsets;
        this.owned = owned;
        check(users.length * (long) dim == userVectors.length, "user vectors");
        check(items.length == texts.length && items.length * (long) dim == itemVectors.length
                && items.length == itemBias.length && items.length == popularity.length, "item arrays");
        check(featureDim * (long) dim == projection.length, "projection");
        check(ownedOffsets.length == users.length + 1 && ownedOffsets[users.length] == owned.length, "owned items");
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException("Inconsistent recommender model: " + what);
        }
    }

    public void write(OutputStream os) throws IOException {
        DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(os, 1 << 16));
        out.write(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(dim);
        writeString(out, backboneSource);
        out.writeInt(featureDim);
        out.writeInt(users.length);
        for (String u : users) {
            writeString(out, u);
        }
        writeFloats(out, userVectors);
        out.writeInt(items.length);
        for (int i = 0; i < items.length; i++) {
            writeString(out, items[i]);
            writeString(out, texts[i] == null ? "" : texts[i]);
        }
        writeFloats(out, itemVectors);
        writeFloats(out, itemBias);
        for (int p : popularity) {
            out.writeInt(p);
        }
        writeFloats(out, projection);
        for (int o : ownedOffsets) {
            out.writeInt(o);
        }
        out.writeInt(owned.length);
        for (int o : owned) {
            out.writeInt(o);
        }
        out.flush();
    }

    /**
     * Reads the weights a saved recommender's descriptor names, after checking the file's SHA-256.
     *
     * @throws dev.nnsdk.ChecksumMismatchException when the file differs from the recorded checksum
     * @throws ModelLoadException when it cannot be read or is not in this format
     */
    public static RecommenderWeights read(dev.nnsdk.repository.Artifact weights) {
        dev.nnsdk.io.Checksums.verify(weights.path(), weights.sha256());
        try (InputStream in = java.nio.file.Files.newInputStream(weights.path())) {
            return read(in, weights.path().toString());
        } catch (java.io.IOException e) {
            throw new ModelLoadException("Cannot read " + weights.path() + ": " + e.getMessage(), e);
        }
    }

    /** Reads {@link #write}'s format; {@code where} names the file in errors. */
    public static RecommenderWeights read(InputStream is, String where) {
        try {
            DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(is, 1 << 16));
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new ModelLoadException(where + " is not a recommender file (bad magic)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new ModelLoadException(where + ": unsupported recommender format version " + version);
            }
            int dim = positive(in.readInt(), where, "dim");
            String backbone = readString(in, where);
            int featureDim = nonNegative(in.readInt(), where, "featureDim");
            int nu = nonNegative(in.readInt(), where, "users");
            String[] users = new String[nu];
            for (int i = 0; i < nu; i++) {
                users[i] = readString(in, where);
            }
            float[] uv = readFloats(in, (long) nu * dim, where);
            int ni = nonNegative(in.readInt(), where, "items");
            String[] items = new String[ni];
            String[] texts = new String[ni];
            for (int i = 0; i < ni; i++) {
                items[i] = readString(in, where);
                texts[i] = readString(in, where);
            }
            float[] iv = readFloats(in, (long) ni * dim, where);
            float[] bias = readFloats(in, ni, where);
            int[] pop = new int[ni];
            for (int i = 0; i < ni; i++) {
                pop[i] = in.readInt();
            }
            float[] proj = readFloats(in, (long) featureDim * dim, where);
            int[] off = new int[nu + 1];
            for (int i = 0; i <= nu; i++) {
                off[i] = in.readInt();
            }
            int n = nonNegative(in.readInt(), where, "owned");
            int[] owned = new int[n];
            for (int i = 0; i < n; i++) {
                owned[i] = in.readInt();
                if (owned[i] < 0 || owned[i] >= ni) {
                    throw new ModelLoadException(where + ": item index " + owned[i] + " out of range");
                }
            }
            return new RecommenderWeights(dim, backbone, featureDim, users, uv, items, texts, iv, bias, pop, proj, off, owned);
        } catch (EOFException e) {
            throw new ModelLoadException(where + " is truncated");
        } catch (IOException e) {
            throw new ModelLoadException("Cannot read " + where + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(where + ": " + e.getMessage());
        }
    }

    private static int positive(int v, String where, String what) {
        if (v <= 0) {
            throw new ModelLoadException(where + ": " + what + " must be > 0, got " + v);
        }
        return v;
    }

    private static int nonNegative(int v, String where, String what) {
        if (v < 0) {
            throw new ModelLoadException(where + ": " + what + " must be >= 0, got " + v);
        }
        return v;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in, String where) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > (1 << 24)) {
            throw new ModelLoadException(where + ": bad string length " + n);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static void writeFloats(DataOutputStream out, float[] a) throws IOException {
        for (float v : a) {
            out.writeFloat(v);
        }
    }

    private static float[] readFloats(DataInputStream in, long n, String where) throws IOException {
        if (n > Integer.MAX_VALUE - 8) {
            throw new ModelLoadException(where + ": array too large (" + n + ")");
        }
        float[] a = new float[(int) n];
        for (int i = 0; i < a.length; i++) {
            a[i] = in.readFloat();
        }
        return a;
    }
}
