package dev.nnsdk.onnx.graph;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.nnsdk.Device;
import dev.nnsdk.engine.EngineModel;
import dev.nnsdk.engine.LoadOptions;
import dev.nnsdk.engine.ModelFormat;
import dev.nnsdk.engine.Tensor;
import dev.nnsdk.onnx.OnnxEngine;
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
import dev.nnsdk.onnx.graph.quant.StaticQuantizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A static int8 (S8S8) file runs exactly in the SDK on any CPU: the fused integer GEMM agrees with the same QDQ graph
 * run op by op in float. On x86 CPUs without VNNI ONNX Runtime's u8 x s8 kernels saturate 16-bit sums (measured on an
 * AMD EPYC Zen 3 without the SDK's session option: 6.1 off on outputs up to 29; this test then fails), so the engine
 * sets {@link OnnxEngine#X64_QUANT_PRECISION}; on VNNI/AMX machines the kernels are exact anyway.
 */
class Int8ExactnessTest {
    private static final int VOCAB = 300;
    private static final int K = 384;
    private static final int N = 384;

    @TempDir
    Path tmp;

    @Test
    void s8s8FileRunsExactlyThroughTheSdksOnnxEngine() throws Exception {
        Random rnd = new Random(11);
        ModelProto q = StaticQuantizer.quantize(embeddingThenMatMul(rnd), Collections.singletonList(
                Collections.singletonMap("input_ids", ids(rnd, 16))), Calibration.minMax());
        Path file = tmp.resolve("int8.onnx");
        Files.write(file, q.toByteArray());
        long[][] probe = ids(rnd, 32);

        float[] sdk;
        try (EngineModel m = new OnnxEngine().load(file, ModelFormat.ONNX,
                new LoadOptions(Device.cpu(), 1, false, null, null, false, null, null))) {
            long[] flat = new long[probe.length * probe[0].length];
            for (int r = 0; r < probe.length; r++) {
                System.arraycopy(probe[r], 0, flat, r * probe[0].length, probe[0].length);
            }
            sdk = m.run(Collections.singletonList(Tensor.ofLongs("input_ids", flat, probe.length, probe[0].length)))
                    .get(0).toFloatArray();
        }
        float[] reference = reference(q, probe);
        double diff = 0;
        double max = 0;
        for (int i = 0; i < sdk.length; i++) {
            diff = Math.max(diff, Math.abs(sdk[i] - reference[i]));
            max = Math.max(max, Math.abs(reference[i]));
        }
        assertTrue(max > 1, "outputs must be large enough to saturate a 16-bit sum: " + max);
        assertTrue(diff <= 1e-5 * max, "int8 GEMM off by " + diff + " on outputs up to " + max + " (saturation?)");

        // and the integer kernel is what runs (a DequantizeLinear + float MatMul would be trivially exact)
        Path optimised = tmp.resolve("optimised.onnx");
        try (OrtSession.SessionOptions so = Sessions.options(1)) {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.EXTENDED_OPT);
            so.setOptimizedModelFilePath(optimised.toString());
            OrtEnvironment.getEnvironment().createSession(file.toString(), so).close();
        }
        List<String> ops = new ArrayList<String>();
        for (NodeProto n : ModelProto.parseFrom(Files.readAllBytes(optimised)).getGraph().getNodeList()) {
            ops.add(n.getOpType());
        }
        assertTrue(ops.contains("MatMulIntegerToFloat") && !ops.contains("MatMul"), ops.toString());
    }

    private static float[] reference(ModelProto m, long[][] ids) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            so.setIntraOpNumThreads(1);
            try (OrtSession s = env.createSession(m.toByteArray(), so); OnnxTensor t = OnnxTensor.createTensor(env, ids);
                 OrtSession.Result r = s.run(Collections.singletonMap("input_ids", t))) {
                FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
                float[] out = new float[fb.remaining()];
                fb.get(out);
                return out;
            }
        }
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
}
