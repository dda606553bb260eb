package dev.nnsdk.format;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operator types of an ONNX graph, read straight from the protobuf file ({@code ModelProto.graph.node[].op_type})
 * without loading the model: weights (initializers) are skipped, not read, so a 130 MB file is scanned in
 * milliseconds. Used to tell whether a model is dynamically quantised.
 *
 * <pre>{@code
 * boolean perText = OnnxOps.isDynamicallyQuantized(Path.of("onnx/model_quantized.onnx"));
 * }</pre>
 */
public final class OnnxOps {

    /**
     * Operators that quantise activations at run time with one scale per tensor (so padding and the other rows of a
     * batch change a row's result): {@code DynamicQuantizeLinear} + {@code MatMulInteger} / {@code ConvInteger}
     * (onnxruntime's {@code quantize_dynamic}), and the fused com.microsoft contrib ops.
     */
    public static final Set<String> DYNAMIC_QUANTIZATION_OPS = Collections.unmodifiableSet(new HashSet<String>(Arrays.asList(
            "DynamicQuantizeLinear", "MatMulInteger", "ConvInteger", "DynamicQuantizeMatMul", "DynamicQuantizeLSTM",
            "QAttention")));

    private static final ConcurrentHashMap<String, Set<String>> CACHE = new ConcurrentHashMap<String, Set<String>>();

    private OnnxOps() {
    }

    /** Whether the graph at {@code onnx} has one of {@link #DYNAMIC_QUANTIZATION_OPS}. */
    public static boolean isDynamicallyQuantized(Path onnx) {
        for (String op : opTypes(onnx)) {
            if (DYNAMIC_QUANTIZATION_OPS.contains(op)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The distinct op types of the main graph, sorted (cached per file, size and modification time).
     *
     * @throws IllegalArgumentException naming the file when it is not a readable ONNX protobuf
     */
    public static Set<String> opTypes(Path onnx) {
        java.io.File f = onnx.toFile();
        String key = f.getAbsolutePath() + '|' + f.length() + '|' + f.lastModified();
        Set<String> ops = CACHE.get(key);
        if (ops == null) {
            try (InputStream in = new BufferedInputStream(new FileInputStream(f), 1 << 16)) {
                ops = Collections.unmodifiableSet(scanModel(new Reader(in)));
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException(onnx + " is not a readable ONNX model: " + e.getMessage(), e);
            }
            CACHE.put(key, ops);
        }
        return ops;
    }

    private static Set<String> scanModel(Reader r) throws IOException {
        Set<String> ops = new TreeSet<String>();
        boolean sawGraph = false;
        long tag;
        while ((tag = r.tagOrEnd()) >= 0) {
            if (tag >>> 3 == 7 && (tag & 7) == 2) {            // ModelProto.graph
                long len = r.varint();
                scanGraph(r, len, ops);
                sawGraph = true;
            } else {
                r.skipField(tag);
            }
        }
        if (!sawGraph) {
            throw new IOException("no graph (ModelProto field 7)");
        }
        return ops;
    }

    private static void scanGraph(Reader r, long len, Set<String> ops) throws IOException {
        long end = r.pos + len;
        while (r.pos < end) {
            long tag = r.varint();
            if (tag >>> 3 == 1 && (tag & 7) == 2) {            // GraphProto.node
                long nodeEnd = r.pos + r.varint();
                while (r.pos < nodeEnd) {
                    long t = r.varint();
                    if (t >>> 3 == 4 && (t & 7) == 2) {        // NodeProto.op_type
                        ops.add(new String(r.bytes((int) r.varint()), StandardCharsets.UTF_8));
                    } else {
                        r.skipField(t);
                    }
                }
            } else {
                r.skipField(tag);                          // initializers, inputs, outputs...
            }
        }
    }

    /** Protobuf wire-format reader that skips by seeking. */
    private static final class Reader {
        private final InputStream in;
        long pos;

        Reader(InputStream in) {
            this.in = in;
        }

        long tagOrEnd() throws IOException {
            int b = in.read();
            if (b < 0) {
                return -1;
            }
            pos++;
            long v = b & 0x7F;
            int shift = 7;
            while ((b & 0x80) != 0) {
                b = next();
                v |= (long) (b & 0x7F) << shift;
                shift += 7;
            }
            return v;
        }

        long varint() throws IOException {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = next();
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw new IOException("malformed varint at byte " + pos);
        }

        private int next() throws IOException {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("truncated at byte " + pos);
            }
            pos++;
            return b;
        }

        byte[] bytes(int n) throws IOException {
            if (n < 0 || n > (1 << 20)) {
                throw new IOException("implausible string length " + n + " at byte " + pos);
            }
            byte[] b = new byte[n];
            int off = 0;
            while (off < n) {
                int k = in.read(b, off, n - off);
                if (k < 0) {
                    throw new EOFException("truncated at byte " + pos);
                }
                off += k;
            }
            pos += n;
            return b;
        }

        void skipField(long tag) throws IOException {
            switch ((int) (tag & 7)) {
                case 0:
                    varint();
                    break;
                case 1:
                    skip(8);
                    break;
                case 2:
                    skip(varint());
                    break;
                case 5:
                    skip(4);
                    break;
                default:
                    throw new IOException("unsupported wire type " + (tag & 7) + " at byte " + pos);
            }
        }

        void skip(long n) throws IOException {
            if (n < 0) {
                throw new IOException("negative length at byte " + pos);
            }
            long left = n;
            while (left > 0) {
                long k = in.skip(left);
                if (k <= 0) {
                    if (in.read() < 0) {
                        throw new EOFException("truncated at byte " + pos);
                    }
                    k = 1;
                }
                left -= k;
            }
            pos += n;
        }
    }
}
