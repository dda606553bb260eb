package dev.nnsdk.onnx.graph;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.nnsdk.onnx.graph.ir.OnnxGraph;
import dev.nnsdk.onnx.graph.proto.OnnxProto.GraphProto;
import dev.nnsdk.onnx.graph.proto.OnnxProto.ModelProto;
import dev.nnsdk.onnx.graph.proto.OnnxProto.NodeProto;
import dev.nnsdk.onnx.graph.proto.OnnxProto.OperatorSetIdProto;
import dev.nnsdk.onnx.graph.proto.OnnxProto.TensorProto;
import dev.nnsdk.onnx.graph.proto.OnnxProto.TensorShapeProto;
import dev.nnsdk.onnx.graph.proto.OnnxProto.TypeProto;
import dev.nnsdk.onnx.graph.proto.OnnxProto.ValueInfoProto;
import dev.nnsdk.onnx.graph.quant.Calibration;
import dev.nnsdk.onnx.graph.quant.QuantFormat;
import dev.nnsdk.onnx.graph.quant.StaticQuantizer;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The int8 formats: U8U8 is computed exactly by ONNX Runtime's integer kernels on any CPU, and the format chosen for
 * this CPU is too (an S8S8 file saturates on x86 CPUs without VNNI: measured 6.1 off on outputs up to 29 on an AMD
 * EPYC Zen 3). "Exactly" = the fused integer GEMM agrees with the same QDQ graph run op by op in float.
 */
class QuantFormatTest {
    private static final int VOCAB = 300;
    private static final int K = 384;
    private static final int N = 384;

    @Test
    void choiceFollowsTheCpusIntegerKernels() {
        assertEquals(QuantFormat.S8S8, QuantFormat.forCpu("amd64", new HashSet<String>(Arrays.asList("avx2", "avx512f", "avx512_vnni"))));
        assertEquals(QuantFormat.S8S8, QuantFormat.forCpu("amd64", new HashSet<String>(Arrays.asList("avx2", "avx_vnni"))));
        assertEquals(QuantFormat.S8S8, QuantFormat.forCpu("amd64", new HashSet<String>(Arrays.asList("avx512f", "amx_int8"))));
        assertEquals(QuantFormat.U8U8, QuantFormat.forCpu("amd64", new HashSet<String>(Arrays.asList("fma", "avx2"))));
        assertEquals(QuantFormat.U8U8, QuantFormat.forCpu("amd64", new HashSet<String>(Arrays.asList("avx2", "avx512f", "avx512bw"))));
        assertEquals(QuantFormat.U8U8, QuantFormat.forCpu("x86_64", Collections.<String>emptySet()));
        assertEquals(QuantFormat.S8S8, QuantFormat.forCpu("aarch64", Collections.<String>emptySet()));
        assertEquals(QuantFormat.U8U8, QuantFormat.parse("U8U8"));
        assertEquals(QuantFormat.forThisCpu(), QuantFormat.parse("auto"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QuantFormat.parse("int4"));
        assertTrue(e.getMessage().contains("s8s8") && e.getMessage().contains("u8u8"), e.getMessage());
    }

    @Test
    void u8u8IsExactOnThisCpu() throws Exception {
        assertExact(QuantFormat.U8U8);
    }

    @Test
    void theFormatChosenForThisCpuIsExactOnIt() throws Exception {
        assertExact(QuantFormat.forThisCpu());
    }

    private static void assertExact(QuantFormat format) throws Exception {
        Random rnd = new Random(11);
        ModelProto q = StaticQuantizer.quantize(embeddingThenMatMul(rnd), Collections.singletonList(
                Collections.singletonMap("input_ids", ids(rnd, 16))), Calibration.minMax(), format);
        long[][] probe = ids(rnd, 32);
        Path optimised = Files.createTempFile("nnsdk-int8", ".onnx");
        try {
            float[] fused = run(q, probe, OrtSession.SessionOptions.OptLevel.EXTENDED_OPT, optimised);
            float[] reference = run(q, probe, OrtSession.SessionOptions.OptLevel.NO_OPT, null);
            // the integer kernel really ran (a DequantizeLinear + float MatMul would be trivially "exact")
            List<String> ops = opTypes(ModelProto.parseFrom(Files.readAllBytes(optimised)).getGraph());
            assertTrue(ops.contains("MatMulIntegerToFloat") && !ops.contains("MatMul"), format + ": " + ops);
            double diff = 0;
            double max = 0;
            for (int i = 0; i < fused.length; i++) {
                diff = Math.max(diff, Math.abs(fused[i] - reference[i]));
                max = Math.max(max, Math.abs(reference[i]));
            }
            assertTrue(max > 1, "outputs must be large enough to saturate a 16-bit sum: " + max);
            assertTrue(diff <= 1e-5 * max, format + " on this CPU: integer GEMM off by " + diff + " on outputs up to "
                    + max + " (saturation?)");
        } finally {
            Files.deleteIfExists(optimised);
        }
    }

    private static List<String> opTypes(GraphProto g) {
        List<String> out = new java.util.ArrayList<String>();
        for (NodeProto n : g.getNodeList()) {
            out.add(n.getOpType());
        }
        return out;
    }

    private static long[][] ids(Random rnd, int rows) {
        long[][] ids = new long[rows][8];
        for (long[] r : ids) {
            for (int i = 0; i < r.length; i++) {
                r[i] = rnd.nextInt(VOCAB);
            }
        }
        return ids;
    }

    /** y = Gather(table, input_ids) @ W: activations from a table, weights spread over the full 8-bit range. */
    private static ModelProto embeddingThenMatMul(Random rnd) {
        float[] table = new float[VOCAB * K];
        for (int i = 0; i < table.length; i++) {
            table[i] = (float) (rnd.nextGaussian() * 2);
        }
        float[] w = new float[K * N];
        for (int i = 0; i < w.length; i++) {
            w[i] = (rnd.nextFloat() * 2 - 1) * 0.05f;
        }
        TypeProto ids = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                .setElemType(TensorProto.DataType.INT64_VALUE).setShape(TensorShapeProto.newBuilder()
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("sequence")))).build();
        GraphProto g = GraphProto.newBuilder().setName("toy")
                .addInput(ValueInfoProto.newBuilder().setName("input_ids").setType(ids))
                .addOutput(ValueInfoProto.newBuilder().setName("y").setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))))
                .addInitializer(OnnxGraph.floatTensor("table", table, VOCAB, K))
                .addInitializer(OnnxGraph.floatTensor("w", w, K, N))
                .addNode(OnnxGraph.node("Gather", "gather", Arrays.asList("table", "input_ids"), Arrays.asList("x")))
                .addNode(OnnxGraph.node("MatMul", "matmul", Arrays.asList("x", "w"), Arrays.asList("y")))
                .build();
        return ModelProto.newBuilder().setIrVersion(7).setGraph(g)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13)).build();
    }

    private static float[] run(ModelProto m, long[][] ids, OrtSession.SessionOptions.OptLevel level, Path saveTo)
            throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setOptimizationLevel(level);
            so.setIntraOpNumThreads(1);
            if (saveTo != null) {
                so.setOptimizedModelFilePath(saveTo.toString());
            }
            try (OrtSession s = env.createSession(m.toByteArray(), so); OnnxTensor t = OnnxTensor.createTensor(env, ids);
                 OrtSession.Result r = s.run(Collections.singletonMap("input_ids", t))) {
                FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
                float[] out = new float[fb.remaining()];
                fb.get(out);
                return out;
            }
        }
    }
}
