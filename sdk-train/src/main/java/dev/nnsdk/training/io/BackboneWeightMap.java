package dev.nnsdk.training.io;

import dev.nnsdk.InvalidInputException;
import dev.nnsdk.onnx.graph.proto.OnnxProto.GraphProto;
import dev.nnsdk.onnx.graph.proto.OnnxProto.ModelProto;
import dev.nnsdk.onnx.graph.proto.OnnxProto.TensorProto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which ONNX initializer holds each parameter of a TorchScript backbone, found and checked EXACTLY on
 * the untrained pair: a parameter maps to the float initializer(s) with bit-identical values, either
 * in the same layout or, for a 2-D [out, in] weight, transposed ([in, out], ONNX MatMul). The zoo's
 * TorchScript MiniLM was built from its ONNX initializers this way (shared assets MANIFEST), so the map
 * is exact there; for any other pair a parameter without an exact match is an
 * {@link InvalidInputException} naming it, and nothing is exported. {@link #apply} then writes trained
 * values onto the same initializers.
 *
 * <pre>{@code
 * BackboneWeightMap map = BackboneWeightMap.build(onnx, untrainedParams, shapes);   // refuses if not exact
 * ModelProto trained = map.apply(onnx, trainedParams);
 * }</pre>
 */
public final class BackboneWeightMap {
    /** Where one parameter lives in the ONNX graph. */
    static final class Target {
        final String initializer;
        final boolean transposed;

        Target(String initializer, boolean transposed) {
            this.initializer = initializer;
            this.transposed = transposed;
        }
    }

    private final Map<String, List<Target>> targets;
    private final Map<String, long[]> shapes;

    private BackboneWeightMap(Map<String, List<Target>> targets, Map<String, long[]> shapes) {
        this.targets = targets;
        this.shapes = shapes;
    }

    /**
     * @param params the untrained TorchScript parameters by name (as sdk-djl lists them)
     * @param shapes their shapes
     */
    public static BackboneWeightMap build(ModelProto onnx, Map<String, float[]> params, Map<String, long[]> shapes) {
        Map<Integer, List<TensorProto>> bySize = new HashMap<Integer, List<TensorProto>>();
        Map<String, float[]> values = new HashMap<String, float[]>();
        for (TensorProto t : onnx.getGraph().getInitializerList()) {
            if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
                continue;
            }
            float[] v = floats(t);
            values.put(t.getName(), v);
            bySize.computeIfAbsent(v.length, k -> new ArrayList<TensorProto>()).add(t);
        }
        Map<String, List<Target>> map = new LinkedHashMap<String, List<Target>>();
        List<String> missing = new ArrayList<String>();
        for (Map.Entry<String, float[]> p : params.entrySet()) {
            float[] v = p.getValue();
            long[] shape = shapes.get(p.getKey());
            List<Target> found = new ArrayList<Target>();
            for (TensorProto t : bySize.getOrDefault(v.length, new ArrayList<TensorProto>())) {
                float[] o = values.get(t.getName());
                if (Arrays.equals(v, o)) {
                    found.add(new Target(t.getName(), false));
                } else if (shape.length == 2 && t.getDimsCount() == 2 && t.getDims(0) == shape[1]
                        && t.getDims(1) == shape[0] && Arrays.equals(v, transpose(o, (int) shape[1], (int) shape[0]))) {
                    found.add(new Target(t.getName(), true));
                }
            }
            if (found.isEmpty()) {
                missing.add(p.getKey() + " " + Arrays.toString(shape));
            } else {
                map.put(p.getKey(), found);
            }
        }
        // One initializer claimed by two parameters (equal values, e.g. two untrained LayerNorms) is ambiguous: the trained
        // values could not both land there, so the map would not be exact.
        Map<String, String> owner = new HashMap<String, String>();
        List<String> ambiguous = new ArrayList<String>();
        for (Map.Entry<String, List<Target>> e : map.entrySet()) {
            for (Target t : e.getValue()) {
                String prev = owner.put(t.initializer, e.getKey());
                if (prev != null) {
                    ambiguous.add(t.initializer + " <- " + prev + " and " + e.getKey());
                }
            }
        }
        if (!ambiguous.isEmpty()) {
            throw new InvalidInputException("Cannot export the trained backbone to ONNX: " + ambiguous.size() + " ONNX "
                    + "initializers hold the values of more than one TorchScript parameter, so where the trained values "
                    + "belong is ambiguous; first: " + ambiguous.subList(0, Math.min(3, ambiguous.size()))
                    + ". Use the saved model on the djl engine instead");
        }
        if (!missing.isEmpty()) {
            throw new InvalidInputException("Cannot export the trained backbone to ONNX: " + missing.size() + " of "
                    + params.size() + " TorchScript parameters have no ONNX initializer with exactly the same values "
                    + "(same layout or a transposed MatMul weight), so the ONNX graph and the TorchScript module are not "
                    + "the same network; first: " + missing.subList(0, Math.min(3, missing.size()))
                    + ". Use the saved model on the djl engine instead");
        }
        return new BackboneWeightMap(map, new HashMap<String, long[]>(shapes));
    }

    /** How many parameters are mapped. */
    public int size() {
        return targets.size();
    }

    /** The initializer names parameter {@code name} maps to. */
    public List<String> initializers(String name) {
        List<String> out = new ArrayList<String>();
        for (Target t : targets.get(name)) {
            out.add(t.initializer + (t.transposed ? " (transposed)" : ""));
        }
        return out;
    }

    /** A copy of {@code onnx} whose mapped initializers hold {@code trained} (parameters absent from it keep their values). */
    public ModelProto apply(ModelProto onnx, Map<String, float[]> trained) {
        Map<String, float[]> byInit = new HashMap<String, float[]>();
        for (Map.Entry<String, float[]> e : trained.entrySet()) {
            List<Target> ts = targets.get(e.getKey());
            if (ts == null) {
                throw new IllegalArgumentException("No ONNX initializer for parameter " + e.getKey());
            }
            long[] shape = shapes.get(e.getKey());
            for (Target t : ts) {
                byInit.put(t.initializer, t.transposed ? transpose(e.getValue(), (int) shape[0], (int) shape[1]) : e.getValue());
            }
        }
        return withInitializers(onnx, byInit);
    }

    /** A copy of {@code onnx} whose initializers named in {@code byInit} hold those values (raw little-endian floats). */
    static ModelProto withInitializers(ModelProto onnx, Map<String, float[]> byInit) {
        GraphProto.Builder g = onnx.getGraph().toBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            float[] v = byInit.get(g.getInitializer(i).getName());
            if (v != null) {
                ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(v);
                g.setInitializer(i, g.getInitializer(i).toBuilder().clearFloatData()
                        .setRawData(com.google.protobuf.UnsafeByteOperations.unsafeWrap(b.array())));   // no second copy
            }
        }
        return onnx.toBuilder().setGraph(g).build();
    }

    static float[] floats(TensorProto t) {
        if (!t.getRawData().isEmpty()) {
            ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            float[] v = new float[b.remaining() / 4];
            b.asFloatBuffer().get(v);
            return v;
        }
        float[] v = new float[t.getFloatDataCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = t.getFloatData(i);
        }
        return v;
    }

    /** [rows, cols] row-major to [cols, rows]. */
    static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = a[r * cols + c];
            }
        }
        return t;
    }
}
