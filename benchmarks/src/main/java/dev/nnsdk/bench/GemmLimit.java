package dev.nnsdk.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Measures this machine's GEMM limits with ONNX Runtime's own kernels (MLAS), so "% of the limit" is
 * against a measured number rather than a peak derived from flags and clock.
 *
 * <p>It builds two one-node ONNX graphs in memory: {@code MatMul} (fp32 x fp32) and
 * {@code MatMulInteger} (uint8 activations x int8 weights -> int32; on AVX512-VNNI / AMX machines MLAS
 * uses {@code vpdpbusd} / {@code tdpbusd}), with the weight matrix [K, N] as a constant initializer as in a
 * real model, and times {@code M x K x N} products. FLOPs = 2·M·K·N per product (for int8: multiply-adds x 2,
 * "int8 OP/s").
 *
 * <p>Two rates per shape: per core (a session with one intra-op thread, timed by the calling thread's own
 * CPU time, so other processes on the machine do not lower it: a time slice taken away is not counted) and the
 * machine's (per-core rate x cores, the limit that single-threaded calls side by side can reach; the
 * {@code wall} figure of a session with one thread per core is given too, but it falls when the machine is
 * shared). Shapes: a large square product (the machine's limit) and MiniLM's own (640 tokens x 384 x 384 and
 * x 1536: what a BERT-small batch can reach at best).
 */
public final class GemmLimit {
    private static final int FLOAT = 1;
    private static final int UINT8 = 2;
    private static final int INT8 = 3;
    private static final int INT32 = 6;

    private GemmLimit() {
    }

    /** Measures fp32 and int8 at the large and the MiniLM shapes for about {@code seconds} each; a JSON-ready map. */
    public static Map<String, Object> measure(double seconds) {
        int cores = Runtime.getRuntime().availableProcessors();
        Map<String, Object> out = new LinkedHashMap<String, Object>();
        out.put("method", "ONNX Runtime MatMul (fp32) / MatMulInteger (u8 x s8 -> s32) one-node graphs, weights as"
                + " initializers; perCoreGflops from one intra-op thread timed by its thread CPU time; machineGflops ="
                + " perCoreGflops x cores; wallGflops from one session with " + cores + " intra-op threads (load-sensitive)");
        out.put("cores", cores);
        int[][] shapes = {{2048, 2048, 2048}, {640, 384, 1536}, {640, 384, 384}};
        for (boolean int8 : new boolean[] {false, true}) {
            Map<String, Object> kind = new LinkedHashMap<String, Object>();
            for (int[] s : shapes) {
                kind.put(s[0] + "x" + s[1] + "x" + s[2], measure(int8, s[0], s[1], s[2], seconds, cores));
            }
            out.put(int8 ? "int8" : "fp32", kind);
        }
        return out;
    }

    /** The machine's fp32 limit in GFLOP/s (large product, per-core rate x cores) from a {@link #measure} result. */
    @SuppressWarnings("unchecked")
    public static double limit(Map<String, Object> measured, String kind) {
        Map<String, Object> k = (Map<String, Object>) measured.get(kind);
        Map<String, Object> big = (Map<String, Object>) k.values().iterator().next();
        return ((Number) big.get("machineGflops")).doubleValue();
    }

    static Map<String, Object> measure(boolean int8, int m, int k, int n, double seconds, int cores) {
        byte[] model = model(int8, k, n);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, Object> r = new LinkedHashMap<String, Object>();
        double flop = 2.0 * m * k * n;
        try {
            double perCore = rate(env, model, int8, m, k, 1, seconds, true) * flop / 1e9;
            double wall = rate(env, model, int8, m, k, cores, seconds, false) * flop / 1e9;
            r.put("perCoreGflops", round(perCore));
            r.put("machineGflops", round(perCore * cores));
            r.put("wallGflops", round(wall));
        } catch (OrtException e) {
            throw new IllegalStateException("GEMM measurement failed (" + (int8 ? "int8" : "fp32") + " " + m + "x" + k
                    + "x" + n + "): " + e.getMessage(), e);
        }
        return r;
    }

    private static double round(double x) {
        return Math.round(x * 10) / 10.0;
    }

    /** Products per second: per CPU-second of the calling thread when {@code cpuTime}, else per wall second. */
    private static double rate(OrtEnvironment env, byte[] model, boolean int8, int m, int k, int threads, double seconds,
                               boolean cpuTime) throws OrtException {
        ThreadMXBean tmx = ManagementFactory.getThreadMXBean();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(threads);
            so.setInterOpNumThreads(1);
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            so.addConfigEntry("session.intra_op.allow_spinning", "0");
            try (OrtSession session = env.createSession(model, so); OnnxTensor a = input(env, int8, m, k)) {
                Map<String, OnnxTensor> feed = Collections.singletonMap("A", a);
                for (int i = 0; i < 2; i++) {
                    session.run(feed).close();
                }
                long c0 = tmx.getCurrentThreadCpuTime();
                long w0 = System.nanoTime();
                int runs = 0;
                long elapsed;
                do {
                    session.run(feed).close();
                    runs++;
                    elapsed = cpuTime ? tmx.getCurrentThreadCpuTime() - c0 : System.nanoTime() - w0;
                } while (elapsed < seconds * 1e9 || runs < 3);
                return runs / (elapsed / 1e9);
            }
        }
    }

    private static OnnxTensor input(OrtEnvironment env, boolean int8, int m, int k) throws OrtException {
        Random rnd = new Random(1);
        long[] shape = {m, k};
        if (int8) {
            byte[] b = new byte[m * k];
            rnd.nextBytes(b);
            return OnnxTensor.createTensor(env, ByteBuffer.wrap(b), shape, ai.onnxruntime.OnnxJavaType.UINT8);
        }
        float[] f = new float[m * k];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) rnd.nextGaussian();
        }
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(f), shape);
    }

    /** A one-node ModelProto (opset 13): Y = MatMul(A, W) or MatMulInteger(A, W), W [k, n] an initializer. */
    static byte[] model(boolean int8, int k, int n) {
        Random rnd = new Random(2);
        byte[] raw;
        if (int8) {
            raw = new byte[k * n];
            rnd.nextBytes(raw);
        } else {
            ByteBuffer bb = ByteBuffer.allocate(k * n * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < k * n; i++) {
                bb.putFloat((float) (rnd.nextGaussian() * 0.05));
            }
            raw = bb.array();
        }
        Proto w = new Proto().varints(1, k, n).varint(2, int8 ? INT8 : FLOAT).string(8, "W").bytes(9, raw);
        Proto node = new Proto().string(1, "A").string(1, "W").string(2, "Y").string(3, "gemm")
                .string(4, int8 ? "MatMulInteger" : "MatMul");
        Proto graph = new Proto().message(1, node).string(2, "gemm").message(5, w)
                .message(11, valueInfo("A", int8 ? UINT8 : FLOAT, -1, k))
                .message(12, valueInfo("Y", int8 ? INT32 : FLOAT, -1, n));
        Proto opset = new Proto().string(1, "").varint(2, 13);
        return new Proto().varint(1, 8).string(2, "nnsdk-bench").message(7, graph).message(8, opset).toByteArray();
    }

    /** A tensor ValueInfoProto; a negative dimension is symbolic ("rows"). */
    private static Proto valueInfo(String name, int elemType, long rows, long cols) {
        Proto shape = new Proto()
                .message(1, rows < 0 ? new Proto().string(2, "rows") : new Proto().varint(1, rows))
                .message(1, new Proto().varint(1, cols));
        Proto tensor = new Proto().varint(1, elemType).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensor));
    }

    /** Just enough of the protobuf wire format to write a small ONNX model (no dependency on generated classes). */
    static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long v) {
            tag(field, 0);
            raw(v);
            return this;
        }

        Proto varints(int field, long... vs) {
            for (long v : vs) {
                varint(field, v);
            }
            return this;
        }

        Proto string(int field, String s) {
            return bytes(field, s.getBytes(StandardCharsets.UTF_8));
        }

        Proto bytes(int field, byte[] b) {
            tag(field, 2);
            raw(b.length);
            out.write(b, 0, b.length);
            return this;
        }

        Proto message(int field, Proto p) {
            return bytes(field, p.toByteArray());
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }

        private void tag(int field, int wire) {
            raw(((long) field << 3) | wire);
        }

        private void raw(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }
    }

    /** {@code java -cp ... dev.nnsdk.bench.GemmLimit [seconds]}: prints the measurement as JSON. */
    public static void main(String[] args) throws Exception {
        double s = args.length > 0 ? Double.parseDouble(args[0]) : 2.0;
        System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(measure(s)));
    }
}
