package dev.nnsdk.format;

import dev.nnsdk.io.Checksums;

import dev.nnsdk.ModelLoadException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A classification head in plain Java: dense layers with ReLU between them and a softmax at the
 * end ({@code linear} = one layer, {@code mlp} = two). Immutable and thread-safe.
 *
 * <h2>File format ({@code head.bin}), all little-endian</h2>
 * <pre>
 * bytes 0-3   magic "NNHD" (ASCII)
 * int32       version (1)
 * int32       L, the number of dense layers (1 or more)
 * L times:    int32 in, int32 out,
 *             float32[out * in] weights, row-major [out][in] (y = W x + b),
 *             float32[out] bias
 * </pre>
 * Layer {@code k+1}'s {@code in} equals layer {@code k}'s {@code out}; ReLU follows every layer
 * but the last; the last layer's outputs are logits, turned into probabilities by softmax.
 */
public final class HeadWeights {
    private static final byte[] MAGIC = {'N', 'N', 'H', 'D'};
    public static final int VERSION = 1;

    private final float[][] weights;
    private final float[][] biases;
    private final int[] ins;
    private final int[] outs;

    /**
     * @param weights per layer, {@code [out * in]} row-major
     * @param biases  per layer, {@code [out]}
     * @param ins     per layer input size
     */
    public HeadWeights(float[][] weights, float[][] biases, int[] ins) {
        int l = weights.length;
        if (l == 0 || biases.length != l || ins.length != l) {
            throw new IllegalArgumentException("a head needs at least one layer with weights, bias and input size");
        }
        this.weights = new float[l][];
        this.biases = new float[l][];
        this.ins = ins.clone();
        this.outs = new int[l];
        for (int k = 0; k < l; k++) {
            outs[k] = biases[k].length;
            if (weights[k].length != outs[k] * ins[k]) {
                throw new IllegalArgumentException("layer " + k + ": weights have " + weights[k].length
                        + " values, expected out*in = " + outs[k] + "*" + ins[k]);
            }
            if (k > 0 && ins[k] != outs[k - 1]) {
                throw new IllegalArgumentException("layer " + k + " takes " + ins[k] + " inputs but layer " + (k - 1)
                        + " gives " + outs[k - 1]);
            }
            this.weights[k] = weights[k].clone();
            this.biases[k] = biases[k].clone();
        }
    }

    /** Input (feature) size. */
    public int inputSize() {
        return ins[0];
    }

    /** Number of classes. */
    public int numClasses() {
        return outs[outs.length - 1];
    }

    public int layers() {
        return weights.length;
    }

    /** A copy of layer {@code k}'s weights, {@code [out * in]} row-major. */
    public float[] weights(int k) {
        return weights[k].clone();
    }

    /** A copy of layer {@code k}'s bias. */
    public float[] bias(int k) {
        return biases[k].clone();
    }

    public int inputSize(int k) {
        return ins[k];
    }

    public int outputSize(int k) {
        return outs[k];
    }

    /** The logits of one feature vector. */
    public float[] logits(float[] features) {
        if (features.length != ins[0]) {
            throw new dev.nnsdk.InvalidInputException("The head takes " + ins[0] + " features, got " + features.length);
        }
        float[] x = features;
        for (int k = 0; k < weights.length; k++) {
            float[] w = weights[k];
            float[] y = new float[outs[k]];
            int in = ins[k];
            for (int o = 0; o < y.length; o++) {
                double s = biases[k][o];
                int base = o * in;
                for (int i = 0; i < in; i++) {
                    s += (double) w[base + i] * x[i];
                }
                float v = (float) s;
                y[o] = k < weights.length - 1 && v < 0 ? 0f : v;
            }
            x = y;
        }
        return x;
    }

    /** Class probabilities (softmax of the logits) of one feature vector. */
    public float[] probabilities(float[] features) {
        return softmax(logits(features));
    }

    /** Numerically stable softmax. */
    public static float[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] e = new double[logits.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = Math.exp(logits[i] - max);
            sum += e[i];
        }
        float[] p = new float[logits.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (e[i] / sum);
        }
        return p;
    }

    /** Index of the largest value (the first on ties). */
    public static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Writes the head in the format above. */
    public void write(OutputStream out) throws IOException {
        int size = 12;
        for (int k = 0; k < weights.length; k++) {
            size += 8 + 4 * (weights[k].length + biases[k].length);
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(VERSION).putInt(weights.length);
        for (int k = 0; k < weights.length; k++) {
            b.putInt(ins[k]).putInt(outs[k]);
            for (float v : weights[k]) {
                b.putFloat(v);
            }
            for (float v : biases[k]) {
                b.putFloat(v);
            }
        }
        out.write(b.array());
    }

    /** Reads the weights file a descriptor's head names, after checking its SHA-256 (when the descriptor gives one). */
    public static HeadWeights read(dev.nnsdk.repository.HeadSpec spec) {
        Checksums.verify(spec.weights().path(), spec.weights().sha256());
        return read(spec.weights().path());
    }

    /** Reads a head file; errors name the file and what is wrong. */
    public static HeadWeights read(Path file) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                bo.write(buf, 0, n);
            }
            bytes = bo.toByteArray();
        } catch (IOException e) {
            throw new ModelLoadException("Cannot read head file " + file + ": " + e.getMessage(), e);
        }
        return read(bytes, file.toString());
    }

    /** Reads a head from bytes; {@code where} names the source in errors. */
    public static HeadWeights read(byte[] bytes, String where) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            byte[] magic = new byte[4];
            b.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new ModelLoadException(where + " is not a head file (bad magic)");
            }
            int version = b.getInt();
            if (version != VERSION) {
                throw new ModelLoadException(where + " has head format version " + version + "; this SDK reads " + VERSION);
            }
            int l = b.getInt();
            if (l < 1 || l > 16) {
                throw new ModelLoadException(where + " declares " + l + " layers");
            }
            float[][] w = new float[l][];
            float[][] bias = new float[l][];
            int[] ins = new int[l];
            for (int k = 0; k < l; k++) {
                int in = b.getInt();
                int out = b.getInt();
                if (in < 1 || out < 1 || (long) in * out > b.remaining() / 4) {
                    throw new ModelLoadException(where + ": layer " + k + " has shape " + out + "x" + in
                            + ", more than the file holds");
                }
                ins[k] = in;
                w[k] = new float[in * out];
                for (int i = 0; i < w[k].length; i++) {
                    w[k][i] = b.getFloat();
                }
                bias[k] = new float[out];
                for (int i = 0; i < out; i++) {
                    bias[k][i] = b.getFloat();
                }
            }
            if (b.hasRemaining()) {
                throw new ModelLoadException(where + " has " + b.remaining() + " trailing bytes");
            }
            return new HeadWeights(w, bias, ins);
        } catch (java.nio.BufferUnderflowException e) {
            throw new ModelLoadException(where + " is truncated");
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(where + ": " + e.getMessage());
        }
    }
}
